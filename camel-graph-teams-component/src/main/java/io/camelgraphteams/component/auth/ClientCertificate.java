package io.camelgraphteams.component.auth;

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
import java.util.List;
import java.util.Objects;

import io.camelgraphteams.component.crypto.KeyMaterialReader;
import org.apache.camel.CamelContext;

/**
 * The app's client certificate for client-credentials authentication: an RSA private key and its X.509 certificate
 * (first) with any chain. Loaded from the options {@code clientCertificate}, {@code clientCertificatePassword} and
 * {@code clientPrivateKey}; messages name those options and never contain a password or key material.
 */
public final class ClientCertificate {

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
        String what = "clientCertificate " + KeyMaterialReader.describe(certificate);
        byte[] content = KeyMaterialReader.pemOrLocation(camelContext, certificate, "clientCertificate");
        if (!KeyMaterialReader.isPem(content)) {
            if (!isBlank(privateKey)) {
                throw new IllegalArgumentException("clientPrivateKey goes with a PEM clientCertificate, but " + what
                                                   + " is not PEM: a PKCS#12 file carries its own key, so leave "
                                                   + "clientPrivateKey unset");
            }
            return fromKeyStore(content, certificate, password, what);
        }
        KeyMaterialReader.PemContent pem = KeyMaterialReader.readPem(content, what, null, null);
        if (pem.certificates().isEmpty()) {
            throw new IllegalArgumentException(what + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        PrivateKey key;
        if (!isBlank(privateKey)) {
            String keyWhat = "clientPrivateKey " + KeyMaterialReader.describe(privateKey);
            key = KeyMaterialReader.readPem(KeyMaterialReader.pemOrLocation(camelContext, privateKey,
                    "clientPrivateKey"), keyWhat, null, null).privateKey();
            if (key == null) {
                throw new IllegalArgumentException("clientPrivateKey holds no PEM private key (-----BEGIN PRIVATE "
                                                   + "KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
            }
        } else if (pem.privateKey() != null) {
            key = pem.privateKey();
        } else {
            throw new IllegalArgumentException(what + " is a PEM certificate without its private key: set "
                                               + "clientPrivateKey (or give a PKCS#12 file with "
                                               + "clientCertificatePassword)");
        }
        return of(key, pem.certificates());
    }

    /** A PKCS#12 (or JKS) store's first private-key entry, aliases in sorted order. */
    private static ClientCertificate fromKeyStore(byte[] content, String location, String password, String what) {
        char[] secret = password == null ? new char[0] : password.toCharArray();
        try {
            KeyStore store = KeyMaterialReader.openKeyStore(content, location, what, secret,
                    "clientCertificatePassword");
            List<String> aliases = KeyMaterialReader.privateKeyAliases(store, what);
            if (aliases.isEmpty()) {
                throw new IllegalArgumentException(what + " holds no private key; export the certificate together "
                                                   + "with its private key into the PKCS#12 file");
            }
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

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
