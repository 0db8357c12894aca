package io.camelgraphteams.benchmarks.routes;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

import io.camelgraphteams.component.crypto.RsaOaepProvider;

/**
 * The reference rate: Graph's decryption written straight on the JDK's crypto API (not the component's code), on a
 * given number of threads, over the same kind of items the app receives. Per item: base64-decode, RSA-OAEP-SHA1 unwrap
 * of the key, HMAC-SHA256 check, AES-256-CBC decrypt. The RSA cipher comes from the provider the component chose
 * ({@link RsaOaepProvider#selected()}: the JDK's, unless Amazon Corretto Crypto Provider is on the class path), so
 * both sides do the same work. Threads are named {@code bench-raw-N}.
 */
final class RawDecrypt {

    private static final String RSA_OAEP = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    private static final OAEPParameterSpec OAEP_SHA1 = new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1,
            PSource.PSpecified.DEFAULT);

    private final PrivateKey privateKey;
    private final List<NotificationFactory.EncryptedItem> items;
    private final int threadCount;
    private final LongAdder decrypted = new LongAdder();
    private final LongAdder plaintextBytes = new LongAdder();
    private volatile boolean running;
    private volatile Throwable failure;
    private Thread[] threads = new Thread[0];

    RawDecrypt(PrivateKey privateKey, List<NotificationFactory.EncryptedItem> items, int threadCount) {
        this.privateKey = privateKey;
        this.items = items;
        this.threadCount = threadCount;
    }

    void start() {
        running = true;
        threads = new Thread[threadCount];
        for (int t = 0; t < threadCount; t++) {
            int offset = items.size() * t / threadCount;
            threads[t] = new Thread(() -> loop(offset), "bench-raw-" + t);
            threads[t].setDaemon(true);
            threads[t].start();
        }
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure != null) {
            throw new IllegalStateException("raw decryption failed", failure);
        }
    }

    /** Who does the RSA unwrap. */
    static String rsaProvider() {
        return RsaOaepProvider.selected().toString();
    }

    /** Items decrypted (and verified) so far, over every start. */
    long decrypted() {
        return decrypted.sum();
    }

    long plaintextBytes() {
        return plaintextBytes.sum();
    }

    private void loop(int offset) {
        try {
            Optional<Provider> provider = RsaOaepProvider.selected().provider();
            Cipher rsa = provider.isPresent() ? Cipher.getInstance(RSA_OAEP, provider.get())
                    : Cipher.getInstance(RSA_OAEP);
            rsa.init(Cipher.DECRYPT_MODE, privateKey, OAEP_SHA1);
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            Mac hmac = Mac.getInstance("HmacSHA256");
            Base64.Decoder base64 = Base64.getDecoder();
            int i = offset;
            while (running) {
                NotificationFactory.EncryptedItem item = items.get(i);
                byte[] data = base64.decode(item.data());
                byte[] key = rsa.doFinal(base64.decode(item.dataKey()));
                hmac.init(new SecretKeySpec(key, "HmacSHA256"));
                if (!MessageDigest.isEqual(hmac.doFinal(data), base64.decode(item.dataSignature()))) {
                    throw new IllegalStateException("dataSignature does not match the data");
                }
                aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
                plaintextBytes.add(aes.doFinal(data).length);
                decrypted.increment();
                i = i + 1 == items.size() ? 0 : i + 1;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            failure = e;
        }
    }
}
