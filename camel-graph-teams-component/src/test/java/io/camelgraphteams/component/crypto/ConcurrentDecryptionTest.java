package io.camelgraphteams.component.crypto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One decryptor shared by many worker threads decrypts every item correctly. */
class ConcurrentDecryptionTest {

    private static final int THREADS = 8;
    private static final int ITEMS_PER_THREAD = 200;

    @Test
    void eightThreadsDecryptTwoHundredDistinctItemsEachCorrectly() throws Exception {
        DecryptionKey current = TestKeys.cached("concurrent-1").decryptionKey("current");
        DecryptionKey previous = TestKeys.cached("concurrent-2").decryptionKey("previous");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(current, previous)));

        List<List<EncryptedContent>> itemsPerThread = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            List<EncryptedContent> items = new ArrayList<>();
            for (int item = 0; item < ITEMS_PER_THREAD; item++) {
                // alternate keys so threads keep re-initialising their cached ciphers with different keys
                DecryptionKey key = (thread + item) % 2 == 0 ? current : previous;
                items.add(TestEncryption.encrypt(plaintext(thread, item), key));
            }
            itemsPerThread.add(items);
        }

        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (List<EncryptedContent> items : itemsPerThread) {
                results.add(workers.submit(() -> {
                    start.await();
                    List<String> decrypted = new ArrayList<>();
                    for (EncryptedContent item : items) {
                        decrypted.add(new String(decryptor.decrypt(item), StandardCharsets.UTF_8));
                    }
                    return decrypted;
                }));
            }
            start.countDown();

            for (int thread = 0; thread < THREADS; thread++) {
                List<String> expected = new ArrayList<>();
                for (int item = 0; item < ITEMS_PER_THREAD; item++) {
                    expected.add(plaintext(thread, item));
                }
                assertThat(results.get(thread).get(2, TimeUnit.MINUTES)).containsExactlyElementsOf(expected);
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private static String plaintext(int thread, int item) {
        return "{\"id\":\"" + thread + "-" + item + "\",\"body\":{\"content\":\"" + "x".repeat(item) + "\"}}";
    }
}
