package io.camelgraphteams.component.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import io.camelgraphteams.component.crypto.DecryptionKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * RSA keys with self-signed certificates for tests, and writers for the key store and PEM forms the component reads.
 * All cryptography runs on the JDK providers; BouncyCastle only builds certificates and PEM.
 */
public final class TestKeys {

    /** Key generation dominates test time, so {@link #cached(String)} hands out one 2048-bit key per label per JVM. */
    private static final Map<String, CertifiedKey> CACHE = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {
    }

    /** An RSA private key and the self-signed certificate for its public key. */
    public record CertifiedKey(PrivateKey privateKey, X509Certificate certificate) {

        /** This key under the given {@code encryptionCertificateId}. */
        public DecryptionKey decryptionKey(String certificateId) {
            return new DecryptionKey(certificateId, privateKey, certificate);
        }

        /** The certificate as a "BEGIN CERTIFICATE" PEM block. */
        public String certificatePem() {
            return pem("CERTIFICATE", encoded(certificate));
        }

        /** The private key as an unencrypted PKCS#8 "BEGIN PRIVATE KEY" PEM block. */
        public String privateKeyPem() {
            return pem("PRIVATE KEY", privateKey.getEncoded());
        }

        /** The private key as a PKCS#1 "BEGIN RSA PRIVATE KEY" PEM block, the traditional OpenSSL form. */
        public String rsaPrivateKeyPem() {
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(privateKey);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return text.toString();
        }

        /**
         * The private key as a "BEGIN ENCRYPTED PRIVATE KEY" block the way {@code openssl pkcs8 -topk8} writes it by
         * default: PBES2 with PBKDF2-HmacSHA256 and AES-256-CBC.
         */
        public String encryptedPrivateKeyPem(String password) {
            return encryptedPrivateKeyPem(password, "HmacSHA256", 256);
        }

        /**
         * The private key as a PBES2 "BEGIN ENCRYPTED PRIVATE KEY" block with the given PBKDF2 PRF ("HmacSHA1" or
         * "HmacSHA256") and AES key size (128, 192 or 256). JDK primitives encrypt; BouncyCastle writes the ASN.1.
         */
        public String encryptedPrivateKeyPem(String password, String prf, int aesBits) {
            byte[] salt = new byte[16];
            byte[] iv = new byte[16];
            RANDOM.nextBytes(salt);
            RANDOM.nextBytes(iv);
            int iterations = 2048;
            try {
                byte[] derived = SecretKeyFactory.getInstance("PBKDF2With" + prf)
                        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, aesBits))
                        .getEncoded();
                Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
                aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(derived, "AES"), new IvParameterSpec(iv));
                byte[] encrypted = aes.doFinal(privateKey.getEncoded());

                AlgorithmIdentifier prfId = new AlgorithmIdentifier(
                        "HmacSHA1".equals(prf) ? PKCSObjectIdentifiers.id_hmacWithSHA1
                                : PKCSObjectIdentifiers.id_hmacWithSHA256,
                        DERNull.INSTANCE);
                ASN1ObjectIdentifier aesId = switch (aesBits) {
                    case 128 -> NISTObjectIdentifiers.id_aes128_CBC;
                    case 192 -> NISTObjectIdentifiers.id_aes192_CBC;
                    case 256 -> NISTObjectIdentifiers.id_aes256_CBC;
                    default -> throw new IllegalArgumentException("AES key size " + aesBits);
                };
                PBES2Parameters pbes2 = new PBES2Parameters(
                        new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2,
                                new PBKDF2Params(salt, iterations, prfId)),
                        new EncryptionScheme(aesId, new DEROctetString(iv)));
                EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, pbes2), encrypted);
                return pem("ENCRYPTED PRIVATE KEY", info.getEncoded());
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot encrypt the test key", e);
            }
        }
    }

    /** A fresh 2048-bit key; prefer {@link #cached(String)} unless the test needs a key nobody else has. */
    public static CertifiedKey generate() {
        return generate(2048);
    }

    /** A fresh key of the given RSA modulus size in bits. */
    public static CertifiedKey generate(int bits) {
        KeyPair pair = rsaKeyPair(bits);
        return new CertifiedKey(pair.getPrivate(), selfSignedCertificate(pair, "CN=camel-graph-teams test " + bits));
    }

    /** A 2048-bit key shared by every caller using the same label in this JVM; different labels give different keys. */
    public static CertifiedKey cached(String label) {
        return CACHE.computeIfAbsent(label, ignored -> generate(2048));
    }

    public static KeyPair rsaKeyPair(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation is unavailable", e);
        }
    }

    /** A one-year self-signed SHA256withRSA certificate for the key pair. */
    public static X509Certificate selfSignedCertificate(KeyPair pair, String subject) {
        X500Name name = new X500Name(subject);
        Instant now = Instant.now();
        try {
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(
                    name,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(365))),
                    name,
                    pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot self-sign the test certificate", e);
        }
    }

    /** Writes a PKCS#12 file with one private-key entry; the key is protected with the store password. */
    public static Path writePkcs12(Path file, String alias, String password, CertifiedKey key) {
        return writeKeyStore(file, "PKCS12", password, Map.of(alias, key));
    }

    /**
     * Writes a key store of the given type ("PKCS12" or "JKS") with one private-key entry per alias; keys are
     * protected with the store password.
     */
    public static Path writeKeyStore(Path file, String type, String password, Map<String, CertifiedKey> keysByAlias) {
        try {
            KeyStore store = KeyStore.getInstance(type);
            store.load(null, null);
            for (Map.Entry<String, CertifiedKey> entry : keysByAlias.entrySet()) {
                store.setKeyEntry(entry.getKey(), entry.getValue().privateKey(), password.toCharArray(),
                        new Certificate[] { entry.getValue().certificate() });
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the " + type + " test key store", e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
               + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
               + "\n-----END " + type + "-----\n";
    }
}
