package io.camelgraphteams.component.crypto;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.apache.camel.CamelContext;

/**
 * Builds {@link DecryptionKey}s from the component's options: a PKCS#12/JKS key store, or a PEM certificate and
 * private key.
 * <p>
 * Every configuration mistake becomes an {@link IllegalArgumentException} naming the option at fault and the fix;
 * passwords and key material never appear in messages. BouncyCastle only parses PEM and ASN.1 here; all
 * cryptography runs on the JDK providers.
 */
public final class DecryptionKeyLoader {


    private DecryptionKeyLoader() {
    }

    /**
     * The keys the component's options name: a key store ({@code keyStore}, {@code keyStorePassword},
     * {@code certificateId}), or one PEM certificate and key ({@code certificate}, {@code privateKey},
     * {@code privateKeyPassword}, {@code certificateId}); none when neither is set.
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    public static List<DecryptionKey> fromOptions(CamelContext camelContext, String keyStore, String keyStorePassword,
                                                  String certificateId, String certificate, String privateKey,
                                                  String privateKeyPassword) {
        boolean store = !isBlank(keyStore);
        boolean pem = !isBlank(certificate) || !isBlank(privateKey);
        if (store && pem) {
            throw new IllegalArgumentException("Set either keyStore or certificate and privateKey (PEM), not both; "
                                               + "a key store holds several keys for rotation");
        }
        if (store) {
            return fromKeyStore(camelContext, keyStore, keyStorePassword, certificateId);
        }
        if (!pem) {
            return List.of();
        }
        if (isBlank(certificate) || isBlank(privateKey)) {
            throw new IllegalArgumentException("certificate and privateKey (PEM) must be set together");
        }
        List<String> ids = certificateId == null ? List.of() : Arrays.stream(certificateId.split(","))
                .map(String::trim).filter(id -> !id.isEmpty()).toList();
        if (ids.size() != 1) {
            throw new IllegalArgumentException("certificateId must name exactly one id with certificate and "
                                               + "privateKey (PEM): the encryptionCertificateId Graph sends back");
        }
        return List.of(fromPem(camelContext, ids.get(0), certificate, privateKey, privateKeyPassword));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isEmpty();
    }

    /**
     * Loads keys from a PKCS#12 or JKS key store.
     *
     * @param camelContext   resolves the location
     * @param location       {@code file:/path}, {@code classpath:path} or a plain file path (option {@code keyStore})
     * @param password       protects the store and its private keys (option {@code keyStorePassword})
     * @param certificateIds {@code null}/blank: every private-key entry, its alias as certificate id, in alias order;
     *                       otherwise a comma list of {@code id} or {@code id=alias} (option {@code certificateId}),
     *                       in ring order, a bare {@code id} only when the store has exactly one private-key entry
     * @return the keys, current first
     */
    public static List<DecryptionKey> fromKeyStore(CamelContext camelContext, String location, String password,
                                                   String certificateIds) {
        Objects.requireNonNull(camelContext, "camelContext");
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("keyStore is not set; point it at a PKCS#12 (.p12/.pfx) or JKS file as"
                                               + " file:/path, classpath:path or a plain file path");
        }
        String where = "keyStore " + KeyMaterialReader.describe(location);
        char[] secret = password == null ? new char[0] : password.toCharArray();
        try {
            KeyStore store = KeyMaterialReader.openKeyStore(KeyMaterialReader.readLocation(camelContext, location,
                    "keyStore"), location, where, secret, "keyStorePassword");
            List<String> keyAliases = KeyMaterialReader.privateKeyAliases(store, where);
            if (keyAliases.isEmpty()) {
                throw new IllegalArgumentException(where + " holds no private-key entry; export the certificate"
                                                   + " together with its private key into the key store");
            }
            List<DecryptionKey> keys = new ArrayList<>();
            if (certificateIds == null || certificateIds.isBlank()) {
                for (String alias : keyAliases) {
                    keys.add(keyFromEntry(store, alias, alias, secret, where));
                }
                return List.copyOf(keys);
            }
            for (String element : certificateIds.split(",", -1)) {
                String mapping = element.trim();
                int equals = mapping.indexOf('=');
                String id = equals < 0 ? mapping : mapping.substring(0, equals).trim();
                String alias = equals < 0 ? null : mapping.substring(equals + 1).trim();
                if (id.isEmpty() || (alias != null && alias.isEmpty())) {
                    throw new IllegalArgumentException("certificateId '" + certificateIds + "' has an empty id or"
                                                       + " alias; write a comma-separated list of id or id=alias");
                }
                if (alias == null) {
                    if (keyAliases.size() != 1) {
                        throw new IllegalArgumentException("certificateId '" + id + "' does not say which key to use:"
                                                           + " " + where + " holds " + keyAliases.size()
                                                           + " private-key entries " + keyAliases
                                                           + "; write id=alias for each key to use");
                    }
                    alias = keyAliases.get(0);
                } else if (!containsIgnoringCase(keyAliases, alias)) {
                    throw new IllegalArgumentException("certificateId '" + mapping + "' names alias '" + alias
                                                       + "', but " + where + " has no private-key entry by that"
                                                       + " name; its private-key entries are " + keyAliases);
                }
                keys.add(keyFromEntry(store, alias, id, secret, where));
            }
            return List.copyOf(keys);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /**
     * Loads one key from a PEM certificate and private key.
     *
     * @param camelContext       resolves locations
     * @param certificateId      the id Graph knows the certificate by (option {@code certificateId})
     * @param certificate        location or inline PEM text of the X.509 certificate (option {@code certificate})
     * @param privateKey         location or inline PEM text of the RSA private key: PKCS#8, encrypted PKCS#8 or
     *                           PKCS#1 (option {@code privateKey})
     * @param privateKeyPassword decrypts an encrypted private key (option {@code privateKeyPassword}); may be null
     */
    public static DecryptionKey fromPem(CamelContext camelContext, String certificateId, String certificate,
                                        String privateKey, String privateKeyPassword) {
        Objects.requireNonNull(camelContext, "camelContext");
        if (certificateId == null || certificateId.isBlank()) {
            throw new IllegalArgumentException("certificateId is not set; give the id that subscriptions send to"
                                               + " Graph as encryptionCertificateId");
        }
        if (certificate == null || certificate.isBlank()) {
            throw new IllegalArgumentException("certificate is not set; give the X.509 certificate as file:/path,"
                                               + " classpath:path, a plain file path or inline PEM text");
        }
        if (privateKey == null || privateKey.isBlank()) {
            throw new IllegalArgumentException("privateKey is not set; give the RSA private key as file:/path,"
                                               + " classpath:path, a plain file path or inline PEM text");
        }
        X509Certificate x509 = parseCertificate(KeyMaterialReader.pemOrLocation(camelContext, certificate,
                "certificate"), "certificate " + KeyMaterialReader.describe(certificate));
        PrivateKey key = parsePrivateKey(KeyMaterialReader.pemOrLocation(camelContext, privateKey, "privateKey"),
                "privateKey " + KeyMaterialReader.describe(privateKey), privateKeyPassword);
        if (!DecryptionKey.belongsTo(key, x509)) {
            throw new IllegalArgumentException("privateKey does not match certificate (their RSA moduli differ) for"
                                               + " certificateId '" + certificateId + "'; use the private key the"
                                               + " certificate was issued for");
        }
        try {
            return new DecryptionKey(certificateId, key, x509);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("certificate/privateKey: " + e.getMessage(), e);
        }
    }



    private static DecryptionKey keyFromEntry(KeyStore store, String alias, String certificateId, char[] secret,
                                              String where) {
        Key key;
        Certificate certificate;
        try {
            key = store.getKey(alias, secret);
            certificate = store.getCertificate(alias);
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("keyStorePassword does not unlock the private key '" + alias + "' in "
                                               + where + "; protect the key with the key store's password");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + " cannot read the private key '" + alias + "': "
                                               + e.getMessage(), e);
        }
        if (!(key instanceof PrivateKey privateKey)) {
            throw new IllegalArgumentException("certificateId '" + certificateId + "': alias '" + alias + "' in "
                                               + where + " holds no private key; name an entry that has one");
        }
        if (!(certificate instanceof X509Certificate x509)) {
            throw new IllegalArgumentException("certificateId '" + certificateId + "': alias '" + alias + "' in "
                                               + where + " has no X.509 certificate; store the key with its"
                                               + " certificate");
        }
        try {
            return new DecryptionKey(certificateId, privateKey, x509);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ", alias '" + alias + "': " + e.getMessage(), e);
        }
    }

    private static X509Certificate parseCertificate(byte[] content, String what) {
        try {
            Certificate certificate = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(content));
            if (certificate instanceof X509Certificate x509) {
                return x509;
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(what + " is not a PEM or DER X.509 certificate (" + e.getMessage()
                                               + "); give the subscription's encryption certificate", e);
        }
        throw new IllegalArgumentException(what + " is not an X.509 certificate; give the subscription's encryption"
                                           + " certificate");
    }

    private static PrivateKey parsePrivateKey(byte[] content, String what, String password) {
        PrivateKey key = KeyMaterialReader.readPem(content, what, password, "privateKeyPassword").privateKey();
        if (key == null) {
            throw new IllegalArgumentException(what + " holds no PEM private key; give a \"BEGIN PRIVATE KEY\", \"BEGIN"
                                               + " ENCRYPTED PRIVATE KEY\" or \"BEGIN RSA PRIVATE KEY\" block");
        }
        return key;
    }






    private static boolean containsIgnoringCase(List<String> aliases, String alias) {
        // JKS and PKCS12 stores fold aliases to lower case
        return aliases.stream().anyMatch(alias::equalsIgnoreCase);
    }
}
