package io.camelgraphteams.component.crypto;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

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
 * The one reader of keys and certificates as the component's options give them (the decryption keys, the app's
 * client certificate): a location ({@code file:/path}, {@code classpath:path}, a plain path) or inline PEM text,
 * holding PEM, DER, PKCS#12 or JKS. Every mistake becomes an {@link IllegalArgumentException} naming the option and
 * the fix; passwords and key material never appear in a message. BouncyCastle only parses PEM and ASN.1 here.
 */
public final class KeyMaterialReader {

    static final String PEM_BEGIN = "-----BEGIN";
    // a drive-letter path would otherwise be taken for a URI scheme "C:"
    private static final Pattern WINDOWS_PATH = Pattern.compile("^[A-Za-z]:[\\\\/].*");
    // longer values are not echoed: a pasted key without PEM armour must not end up in a log
    private static final int LONGEST_ECHOED_LOCATION = 256;

    /** What a PEM text holds: its certificates in order, and its private key (null when none). */
    public record PemContent(List<X509Certificate> certificates, PrivateKey privateKey) {
    }

    private KeyMaterialReader() {
    }

    /** Inline PEM text as bytes, or the content of the location. */
    public static byte[] pemOrLocation(CamelContext camelContext, String value, String option) {
        // contains, not startsWith: openssl prefixes PEM blocks with "Bag Attributes" lines
        if (value.contains(PEM_BEGIN)) {
            return value.getBytes(StandardCharsets.US_ASCII);
        }
        return readLocation(camelContext, value, option);
    }

    /** The content of a location; the message names the option and the location (when it may be shown). */
    public static byte[] readLocation(CamelContext camelContext, String location, String option) {
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

    /** How an option's value appears in messages: a location quoted; inline PEM and long values not repeated. */
    public static String describe(String value) {
        if (value.contains(PEM_BEGIN)) {
            return "(inline PEM)";
        }
        if (!isShowable(value)) {
            return "(value not shown: neither a location nor PEM text containing " + PEM_BEGIN + ")";
        }
        return "'" + value.trim() + "'";
    }

    private static boolean isShowable(String value) {
        return value.length() <= LONGEST_ECHOED_LOCATION && value.indexOf('\n') < 0 && !value.contains(PEM_BEGIN);
    }

    /** Whether the content is PEM text rather than a binary store or DER. */
    public static boolean isPem(byte[] content) {
        String head = new String(content, 0, Math.min(content.length, 4096), StandardCharsets.ISO_8859_1);
        return head.contains(PEM_BEGIN + " ");
    }

    /**
     * Opens a PKCS#12 or JKS store: the type its name says (.p12/.pfx, .jks), else PKCS#12 then JKS.
     *
     * @param where          the option and location, for messages
     * @param passwordOption the option that holds {@code secret}
     */
    public static KeyStore openKeyStore(byte[] content, String location, String where, char[] secret,
                                        String passwordOption) {
        String lower = location.trim().toLowerCase(Locale.ROOT);
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
                    throw new IllegalArgumentException(passwordOption + " does not open " + where + "; set "
                                                       + passwordOption + " to the store's password");
                }
                failures.add(type + ": " + e.getMessage());
            } catch (GeneralSecurityException e) {
                failures.add(type + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException(where + " is not a readable " + String.join(" or ", types)
                                           + " key store " + failures + "; give a .p12/.pfx or .jks file");
    }

    /** The store's private-key entries, sorted (a store's own order is unspecified: a hash table for JKS). */
    public static List<String> privateKeyAliases(KeyStore store, String where) {
        try {
            List<String> aliases = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
                    aliases.add(alias);
                }
            }
            Collections.sort(aliases);
            return aliases;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + " cannot list its entries: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the certificates and the private key of a PEM text. An encrypted PKCS#8 key is decrypted with
     * {@code password}.
     *
     * @param what           the option and value, for messages
     * @param passwordOption the option that decrypts an encrypted key; null when there is none (an encrypted key is
     *                       then refused)
     */
    public static PemContent readPem(byte[] content, String what, String password, String passwordOption) {
        List<X509Certificate> certificates = new ArrayList<>();
        PrivateKey privateKey = null;
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(new String(content, StandardCharsets.US_ASCII)))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                    continue;
                }
                PrivateKeyInfo info = privateKeyInfo(object, what, password, passwordOption);
                if (info != null) {
                    privateKey = keys.getPrivateKey(info);
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            // the parser's message may quote the offending line: it is not repeated here
            throw new IllegalArgumentException(what + " is not valid PEM (" + e.getClass().getSimpleName() + ")", e);
        }
        return new PemContent(List.copyOf(certificates), privateKey);
    }

    /** The unencrypted key in a PEM object, or null when the object is something else. */
    private static PrivateKeyInfo privateKeyInfo(Object object, String what, String password, String passwordOption) {
        if (object instanceof PrivateKeyInfo info) {
            return info;
        }
        if (object instanceof PEMKeyPair pair) {
            return pair.getPrivateKeyInfo();
        }
        if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            if (passwordOption == null) {
                throw new IllegalArgumentException(what + " holds an encrypted private key; give the key unencrypted "
                                                   + "(and protect the file), or use a PKCS#12 file with its password");
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException(what + " is encrypted; set " + passwordOption + " to its password");
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
                                               + " it with openssl pkcs8 -topk8 -v2 aes-256-cbc"
                                               + (passwordOption != null ? " and set " + passwordOption : "")
                                               + ", or give it unencrypted");
        }
        return null;
    }
}
