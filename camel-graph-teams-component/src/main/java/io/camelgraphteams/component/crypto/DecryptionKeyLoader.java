package io.camelgraphteams.component.crypto;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Builds {@link DecryptionKey}s from the component's options: a PKCS#12/JKS key store, or a PEM certificate and
 * private key.
 * <p>
 * Every configuration mistake becomes an {@link IllegalArgumentException} naming the option at fault and the fix;
 * passwords and key material never appear in messages. BouncyCastle only parses PEM and ASN.1 here; all
 * cryptography runs on the JDK providers.
 */
public final class DecryptionKeyLoader {

    private static final String PEM_BEGIN = "-----BEGIN";
    // a drive-letter path would otherwise be taken for a URI scheme "C:"
    private static final Pattern WINDOWS_PATH = Pattern.compile("^[A-Za-z]:[\\\\/].*");
    // longer values are not echoed: a pasted key without PEM armour must not end up in a log
    private static final int LONGEST_ECHOED_LOCATION = 256;

    private DecryptionKeyLoader() {
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
        String where = "keyStore " + describe(location);
        char[] secret = password == null ? new char[0] : password.toCharArray();
        try {
            KeyStore store = openKeyStore(readLocation(camelContext, location, "keyStore"), location, where, secret);
            List<String> keyAliases = privateKeyAliases(store, where);
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
        X509Certificate x509 = parseCertificate(pemOrLocation(camelContext, certificate, "certificate"),
                "certificate " + describe(certificate));
        PrivateKey key = parsePrivateKey(pemOrLocation(camelContext, privateKey, "privateKey"),
                "privateKey " + describe(privateKey), privateKeyPassword);
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

    private static KeyStore openKeyStore(byte[] content, String location, String where, char[] secret) {
        String lower = location.toLowerCase(Locale.ROOT);
        List<String> types = lower.endsWith(".jks") ? List.of("JKS")
                : lower.endsWith(".p12") || lower.endsWith(".pfx") ? List.of("PKCS12")
                : List.of("PKCS12", "JKS");
        List<String> failures = new ArrayList<>();
        for (String type : types) {
            try {
                KeyStore store = KeyStore.getInstance(type);
                store.load(new ByteArrayInputStream(content), secret);
                return store;
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException) {
                    throw new IllegalArgumentException("keyStorePassword does not open " + where
                                                       + "; set keyStorePassword to the key store's password");
                }
                failures.add(type + ": " + e.getMessage());
            } catch (GeneralSecurityException e) {
                failures.add(type + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException(where + " is not a readable " + String.join(" or ", types)
                                           + " key store " + failures + "; point keyStore at a .p12/.pfx or .jks"
                                           + " file");
    }

    private static List<String> privateKeyAliases(KeyStore store, String where) {
        try {
            List<String> aliases = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
                    aliases.add(alias);
                }
            }
            // the store's own order is unspecified (a hash table for JKS); sorting makes current() predictable
            Collections.sort(aliases);
            return aliases;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + " cannot list its entries: " + e.getMessage(), e);
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
        String text = new String(content, StandardCharsets.US_ASCII);
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                PrivateKeyInfo info = privateKeyInfo(object, what, password);
                if (info != null) {
                    return new JcaPEMKeyConverter().getPrivateKey(info);
                }
            }
        } catch (PEMException e) {
            throw new IllegalArgumentException(what + " could not be read as a private key: " + e.getMessage()
                                               + "; give an RSA key in PEM", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not valid PEM: " + e.getMessage()
                                               + "; give an RSA key in PEM", e);
        }
        throw new IllegalArgumentException(what + " holds no PEM private key; give a \"BEGIN PRIVATE KEY\", \"BEGIN"
                                           + " ENCRYPTED PRIVATE KEY\" or \"BEGIN RSA PRIVATE KEY\" block");
    }

    /** The unencrypted key in a PEM object, or null when the object is something else (a certificate, say). */
    private static PrivateKeyInfo privateKeyInfo(Object object, String what, String password) {
        if (object instanceof PrivateKeyInfo info) {
            return info;
        }
        if (object instanceof PEMKeyPair pair) {
            return pair.getPrivateKeyInfo();
        }
        if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException(what + " is encrypted; set privateKeyPassword to its password");
            }
            char[] secret = password.toCharArray();
            try {
                return Pbes2PrivateKeyDecryption.decrypt(encrypted.toASN1Structure(), secret, what);
            } finally {
                Arrays.fill(secret, '\0');
            }
        }
        if (object instanceof PEMEncryptedKeyPair) {
            // OpenSSL's legacy scheme derives the key with one round of MD5; PKCS#8 is the supported way
            throw new IllegalArgumentException(what + " is an OpenSSL-encrypted \"BEGIN RSA PRIVATE KEY\"; convert"
                                               + " it with openssl pkcs8 -topk8 -v2 aes-256-cbc and set"
                                               + " privateKeyPassword, or give it unencrypted");
        }
        return null;
    }

    /** Inline PEM text as bytes, or the content of the location. */
    private static byte[] pemOrLocation(CamelContext camelContext, String value, String option) {
        // contains, not startsWith: openssl prefixes PEM blocks with "Bag Attributes" lines
        if (value.contains(PEM_BEGIN)) {
            return value.getBytes(StandardCharsets.US_ASCII);
        }
        return readLocation(camelContext, value, option);
    }

    private static byte[] readLocation(CamelContext camelContext, String location, String option) {
        String uri = WINDOWS_PATH.matcher(location).matches() ? "file:" + location : location.trim();
        String fix = "; give an existing file:/path, classpath:path or plain file path"
                     + ("keyStore".equals(option) ? "" : ", or inline PEM text");
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camelContext, uri)) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(option + " " + describe(location) + " was not found" + fix);
        } catch (IOException | RuntimeException e) {
            // the resolver's message repeats the value, so it is shown only when the value itself may be
            String reason = isShowable(location) ? " (" + e.getMessage() + ")" : "";
            throw new IllegalArgumentException(option + " " + describe(location) + " cannot be read" + reason + fix);
        }
    }

    /** How a location appears in messages: inline PEM and long values are not repeated. */
    private static String describe(String value) {
        if (value.contains(PEM_BEGIN)) {
            return "(inline PEM)";
        }
        if (!isShowable(value)) {
            return "(value not shown: neither a location nor PEM text containing " + PEM_BEGIN + ")";
        }
        return "'" + value + "'";
    }

    private static boolean isShowable(String value) {
        return value.length() <= LONGEST_ECHOED_LOCATION && value.indexOf('\n') < 0 && !value.contains(PEM_BEGIN);
    }

    private static boolean containsIgnoringCase(List<String> aliases, String alias) {
        // JKS and PKCS12 stores fold aliases to lower case
        return aliases.stream().anyMatch(alias::equalsIgnoreCase);
    }
}
