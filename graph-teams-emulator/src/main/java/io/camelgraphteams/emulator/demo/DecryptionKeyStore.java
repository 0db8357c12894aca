package io.camelgraphteams.emulator.demo;

import java.nio.file.Path;
import java.security.KeyStore;
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
        KeyStore store = key.keyStore(alias, password.toCharArray());
        Path file = Pkcs12File.write(store, directory.resolve(alias + ".p12"), password, "the decryption key store");
        return new DecryptionKeyStore(file, password, alias, key.certificate());
    }

    /** Leaves the password out: a record's own toString would print it into any log line naming the key store. */
    @Override
    public String toString() {
        return "DecryptionKeyStore[file=" + file + ", alias=" + alias + "]";
    }
}
