package io.camelgraphteams.benchmarks.component;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

import io.camelgraphteams.component.crypto.EncryptedContent;

/**
 * The floor the component is measured against: Graph's decryption written directly on the JCA API, deliberately
 * without the component's NotificationDecryptor. Per item: base64-decode data, dataKey and dataSignature, RSA/ECB/
 * OAEPWithSHA-1AndMGF1Padding unwrap of the 32-byte key, HmacSHA256 check of the data, AES/CBC/PKCS5Padding decrypt
 * with IV = first 16 key bytes. Each thread owns its Cipher and Mac objects; the RSA cipher is initialised once per
 * thread, since the private key never changes. The RSA cipher comes from the given provider (the one the component
 * chose, so both phases pay the same for the unwrap), or from the JDK's selection when it is null.
 */
final class RawJdkDecryption {

    private static final OAEPParameterSpec OAEP_SHA1 = new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1,
            PSource.PSpecified.DEFAULT);

    private final PrivateKey privateKey;
    private final Provider rsaProvider;
    private final List<EncryptedContent> items;
    private final int threads;
    private final AtomicLongArray done;
    private final AtomicLongArray checksum;
    private volatile boolean running = true;
    private Thread[] workers;

    RawJdkDecryption(PrivateKey privateKey, Provider rsaProvider, List<EncryptedContent> items, int threads) {
        this.privateKey = privateKey;
        this.rsaProvider = rsaProvider;
        this.items = items;
        this.threads = threads;
        this.done = new AtomicLongArray(threads * 16); // one slot per thread, 128 bytes apart
        this.checksum = new AtomicLongArray(threads * 16);
    }

    /** Decrypts one item with this thread's primitives; fails loudly if the item does not verify. */
    static final class Decrypter {
        private final Cipher rsa;
        private final Cipher aes;
        private final Mac hmac;
        private final Base64.Decoder base64 = Base64.getDecoder();

        Decrypter(PrivateKey privateKey, Provider rsaProvider) throws GeneralSecurityException {
            rsa = rsaProvider == null ? Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding")
                    : Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding", rsaProvider);
            rsa.init(Cipher.DECRYPT_MODE, privateKey, OAEP_SHA1);
            aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            hmac = Mac.getInstance("HmacSHA256");
        }

        byte[] decrypt(EncryptedContent content) throws GeneralSecurityException {
            byte[] data = base64.decode(content.data());
            byte[] wrappedKey = base64.decode(content.dataKey());
            byte[] signature = base64.decode(content.dataSignature());
            byte[] key = rsa.doFinal(wrappedKey);
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            if (!MessageDigest.isEqual(hmac.doFinal(data), signature)) {
                throw new IllegalStateException("dataSignature does not match: the corpus is broken");
            }
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            return aes.doFinal(data);
        }
    }

    /** Starts one thread per requested core; each walks all items from its own offset, round and round. */
    void start() {
        workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int slot = t * 16;
            int start = (int) ((long) items.size() * t / threads);
            workers[t] = new Thread(() -> run(slot, start), "bench-raw-" + t);
            workers[t].setDaemon(true);
            workers[t].start();
        }
    }

    private void run(int slot, int start) {
        try {
            Decrypter decrypter = new Decrypter(privateKey, rsaProvider);
            int i = start;
            while (running) {
                byte[] plain = decrypter.decrypt(items.get(i));
                checksum.addAndGet(slot, plain.length + plain[plain.length / 2]);
                done.incrementAndGet(slot);
                if (++i == items.size()) {
                    i = 0;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("raw decryption failed", e);
        }
    }

    /** Items decrypted so far by all threads. */
    long done() {
        long sum = 0;
        for (int t = 0; t < threads; t++) {
            sum += done.get(t * 16);
        }
        return sum;
    }

    /** Plaintext bytes (plus a byte of each) so far; keeps the JIT from discarding the AES output. */
    long checksum() {
        long sum = 0;
        for (int t = 0; t < threads; t++) {
            sum += checksum.get(t * 16);
        }
        return sum;
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread worker : workers) {
            worker.join();
        }
    }
}
