package io.camelgraphteams.component.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The app's client certificate for client-credentials authentication: an RSA private key and its X.509 certificate
 * (first) with any chain. Loaded from the options {@code clientCertificate}, {@code clientCertificatePassword} and
 * {@code clientPrivateKey}; messages name those options and never contain a password or key material.
 */
public final class ClientCertificate {

    private static final String PEM_BEGIN = "-----BEGIN";
    // longer values are not echoed: they are more likely pasted key material than a location
    private static final int LONGEST_ECHOED_LOCATION = 256;

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    private ClientCertificate(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    /**
     * A client certificate from a key and its certificate chain (leaf first).
     *
     * @throws IllegalArgumentException when the key is not RSA or does not belong to the leaf certificate
     */
    public static ClientCertificate of(PrivateKey privateKey, List<X509Certificate> chain) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("clientCertificate holds no X.509 certificate");
        }
        if (!(privateKey instanceof RSAKey rsaKey) || !(chain.get(0).getPublicKey() instanceof RSAPublicKey rsaPublic)) {
            throw new IllegalArgumentException("clientCertificate must hold an RSA key: the Microsoft identity platform "
                                               + "accepts RSA client certificates only");
        }
        if (!rsaKey.getModulus().equals(rsaPublic.getModulus())) {
            throw new IllegalArgumentException("clientPrivateKey does not belong to clientCertificate (their RSA moduli "
                                               + "differ); give the private key the certificate was issued for");
        }
        return new ClientCertificate(privateKey, chain);
    }

    /**
     * Loads the certificate the way the component's options describe it.
     *
     * @param camelContext resolves locations ({@code file:}, {@code classpath:}, {@code http:} ...)
     * @param certificate  option {@code clientCertificate}: a PKCS#12 file, or a PEM certificate (location or inline
     *                     PEM text), which may also carry the private key
     * @param password     option {@code clientCertificatePassword}: opens a PKCS#12 file; may be null
     * @param privateKey   option {@code clientPrivateKey}: the PEM private key (PKCS#8 or PKCS#1, unencrypted) that
     *                     goes with a PEM certificate; location or inline PEM text; may be null
     * @throws IllegalArgumentException naming the option at fault and what to do
     */
    public static ClientCertificate load(CamelContext camelContext, String certificate, String password,
                                         String privateKey) {
        Objects.requireNonNull(camelContext, "camelContext");
        if (isBlank(certificate)) {
            throw new IllegalArgumentException("clientCertificate is not set; give a PKCS#12 file or a PEM certificate "
                                               + "as file:/path, classpath:path or inline PEM text");
        }
        byte[] content = read(camelContext, certificate, "clientCertificate");
        if (!looksLikePem(content)) {
            if (!isBlank(privateKey)) {
                throw new IllegalArgumentException("clientPrivateKey goes with a PEM clientCertificate, but "
                                                   + "clientCertificate " + describe(certificate) + " is not PEM: a "
                                                   + "PKCS#12 file carries its own key, so leave clientPrivateKey unset");
            }
            return fromPkcs12(content, password, "clientCertificate " + describe(certificate));
        }
        PemContent pem = parsePem(content, "clientCertificate " + describe(certificate));
        if (pem.certificates.isEmpty()) {
            throw new IllegalArgumentException("clientCertificate " + describe(certificate) + " holds no PEM "
                                               + "certificate (-----BEGIN CERTIFICATE-----)");
        }
        PrivateKey key;
        if (!isBlank(privateKey)) {
            PemContent keyPem = parsePem(read(camelContext, privateKey, "clientPrivateKey"), "clientPrivateKey");
            if (keyPem.privateKey == null) {
                throw new IllegalArgumentException("clientPrivateKey holds no PEM private key (-----BEGIN PRIVATE "
                                                   + "KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
            }
            key = keyPem.privateKey;
        } else if (pem.privateKey != null) {
            key = pem.privateKey;
        } else {
            throw new IllegalArgumentException("clientCertificate " + describe(certificate) + " is a PEM certificate "
                                               + "without its private key: set clientPrivateKey (or give a PKCS#12 "
                                               + "file with clientCertificatePassword)");
        }
        return of(key, pem.certificates);
    }

    /** Reads a PKCS#12 store and takes its first private-key entry (aliases in sorted order). */
    public static ClientCertificate fromPkcs12(byte[] content, String password, String what) {
        char[] secret = password == null ? new char[0] : password.toCharArray();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try {
                store.load(new ByteArrayInputStream(content), secret);
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException) {
                    throw new IllegalArgumentException("clientCertificatePassword does not open " + what
                                                       + "; set clientCertificatePassword to the PKCS#12 file's "
                                                       + "password");
                }
                throw new IllegalArgumentException(what + " is neither a PEM certificate nor a readable PKCS#12 file "
                                                   + "(" + e.getMessage() + "); give a .p12/.pfx file or PEM text");
            }
            List<String> aliases = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
                    aliases.add(alias);
                }
            }
            if (aliases.isEmpty()) {
                throw new IllegalArgumentException(what + " holds no private key; export the certificate together "
                                                   + "with its private key into the PKCS#12 file");
            }
            Collections.sort(aliases);
            String alias = aliases.get(0);
            PrivateKey key;
            try {
                key = (PrivateKey) store.getKey(alias, secret);
            } catch (UnrecoverableKeyException e) {
                throw new IllegalArgumentException("clientCertificatePassword does not unlock the private key '" + alias
                                                   + "' in " + what + "; protect the key with the file's password");
            }
            List<X509Certificate> chain = new ArrayList<>();
            Certificate[] certificates = store.getCertificateChain(alias);
            for (Certificate c : certificates == null ? new Certificate[0] : certificates) {
                if (c instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return of(key, chain);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + " cannot be read as PKCS#12: " + e.getMessage(), e);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The app's certificate (the one uploaded to the app registration). */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The certificate first, then any issuers. */
    public List<X509Certificate> chain() {
        return chain;
    }

    @Override
    public String toString() {
        return "ClientCertificate[" + certificate().getSubjectX500Principal().getName() + "]";
    }

    private static final class PemContent {
        final List<X509Certificate> certificates = new ArrayList<>();
        PrivateKey privateKey;
    }

    private static PemContent parsePem(byte[] content, String what) {
        PemContent result = new PemContent();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(new String(content, StandardCharsets.US_ASCII)))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    result.certificates.add(certificates.getCertificate(holder));
                } else if (object instanceof PrivateKeyInfo info) {
                    result.privateKey = keys.getPrivateKey(info);
                } else if (object instanceof PEMKeyPair pair) {
                    result.privateKey = keys.getKeyPair(pair).getPrivate();
                } else if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException(what + " holds an encrypted private key; give the key "
                                                       + "unencrypted (and protect the file), or use a PKCS#12 "
                                                       + "clientCertificate with clientCertificatePassword");
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            // the parser's message may quote the offending line: it is not repeated here
            throw new IllegalArgumentException(what + " is not valid PEM (" + e.getClass().getSimpleName() + ")", e);
        }
        return result;
    }

    private static byte[] read(CamelContext camelContext, String value, String option) {
        String trimmed = value.trim();
        if (trimmed.startsWith(PEM_BEGIN)) {
            return trimmed.getBytes(StandardCharsets.US_ASCII);
        }
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camelContext, trimmed)) {
            return in.readAllBytes();
        } catch (IOException e) {
            String where = describe(value);
            // the resolver's message repeats the value, which may be pasted key material
            String why = where.startsWith("'") ? " (" + e.getMessage() + ")" : "";
            throw new IllegalArgumentException(option + " " + where + " cannot be read" + why
                                               + "; give file:/path, classpath:path or the PEM text itself");
        }
    }

    private static boolean looksLikePem(byte[] content) {
        String head = new String(content, 0, Math.min(content.length, 4096), StandardCharsets.ISO_8859_1);
        return head.contains(PEM_BEGIN + " ");
    }

    /** A location is quoted; inline PEM or anything long or multi-line is not. */
    static String describe(String value) {
        String trimmed = value.trim();
        if (trimmed.startsWith(PEM_BEGIN) || trimmed.length() > LONGEST_ECHOED_LOCATION || trimmed.contains("\n")) {
            return "(inline value)";
        }
        return "'" + trimmed + "'";
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
