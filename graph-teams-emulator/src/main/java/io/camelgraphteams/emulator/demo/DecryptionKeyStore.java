package io.camelgraphteams.emulator.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import io.camelgraphteams.emulator.identity.SelfSignedCertificate;

/**
 * A PKCS#12 file with one fresh RSA 2048 key and its self-signed certificate under {@code alias}, what
 * {@code keytool -genkeypair -keyalg RSA -keysize 2048 -storetype PKCS12} makes for a real deployment. Graph encrypts
 * resource data for the certificate; the subscriber decrypts with the key. Made at run time, so no private key is
 * shipped.
 *
 * @param file        {@code alias}.p12 in the directory given to {@link #write}
 * @param certificate what a subscription's {@code encryptionCertificate} carries
 */
public record DecryptionKeyStore(Path file, String password, String alias, X509Certificate certificate) {

    /** Key generation takes a moment: write one per test class or run, not per test. */
    public static DecryptionKeyStore write(Path directory, String alias, String password) {
        SelfSignedCertificate key = SelfSignedCertificate.generate("CN=" + alias, 2048);
        Path file = directory.resolve(alias + ".p12");
        try {
            Files.createDirectories(directory);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key.privateKey(), password.toCharArray(), new Certificate[] { key.certificate() });
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return new DecryptionKeyStore(file, password, alias, key.certificate());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the decryption key store " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not make the decryption key store: " + e.getMessage(), e);
        }
    }

    /** Leaves the password out: a record's own toString would print it into any log line naming the key store. */
    @Override
    public String toString() {
        return "DecryptionKeyStore[file=" + file + ", alias=" + alias + "]";
    }
}
