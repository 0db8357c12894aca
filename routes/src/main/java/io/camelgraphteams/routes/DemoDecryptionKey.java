package io.camelgraphteams.routes;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo's resource-data decryption key: a fresh RSA 2048 key with a self-signed certificate, written as a PKCS#12
 * file at every start. Graph (here the emulator) encrypts each notification with the certificate; the graph-teams
 * consumer decrypts with the key. Made per run so no private key is shipped in the repository.
 */
public record DemoDecryptionKey(Path keyStore, String password, String certificateId) {

    public static final String CERTIFICATE_ID = "camel-graph-teams-demo";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Generates the key and writes {@code dir/demo-decryption-key.p12}, alias = {@link #CERTIFICATE_ID}. */
    public static DemoDecryptionKey create(Path dir) {
        String password = randomSecret();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            KeyPair pair = generator.generateKeyPair();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(CERTIFICATE_ID, pair.getPrivate(), password.toCharArray(),
                    new Certificate[] { selfSigned(pair) });
            Path file = dir.resolve("demo-decryption-key.p12");
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return new DemoDecryptionKey(file, password, CERTIFICATE_ID);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the demo decryption key store in " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Could not generate the demo decryption key: " + e.getMessage(), e);
        }
    }

    /** 24 random bytes as hex: used for the demo app's client secret, clientState and key store password. */
    static String randomSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return String.format("%048x", new BigInteger(1, bytes));
    }

    private static X509Certificate selfSigned(KeyPair pair)
            throws OperatorCreationException, GeneralSecurityException {
        X500Name name = new X500Name("CN=camel-graph-teams demo notifications");
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    }
}
