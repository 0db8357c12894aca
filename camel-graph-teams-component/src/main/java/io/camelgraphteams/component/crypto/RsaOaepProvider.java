package io.camelgraphteams.component.crypto;

import java.lang.reflect.InvocationTargetException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Cipher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCA provider that unwraps Graph's {@code dataKey} (RSA-OAEP, SHA-1, MGF1 SHA-1), the step that costs ~95 % of
 * a notification's decryption: Amazon Corretto Crypto Provider (ACCP, native AWS-LC, several times faster) when it is
 * available and healthy, otherwise the JDK's provider selection.
 * <p>
 * ACCP is optional and never a dependency of the component: it is found at run time, either registered with the JVM
 * ({@link Security#getProvider(String)}, the way for OSGi containers) or as the class
 * {@code com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider} visible to the component's class loader
 * (the jar with its platform classifier on the class path). The JVM system property {@value #DISABLE_PROPERTY}
 * {@code =false} turns it off. HMAC-SHA256 and AES-CBC stay with the JDK's providers in either case: on Graph's ~2 KB
 * items ACCP measured no faster for them (docs/performance.md).
 * <p>
 * Thread-safe. Each instance hands every thread its own {@link GraphContentCiphers}.
 */
public final class RsaOaepProvider {

    /** JVM system property; {@code false} keeps ACCP from being used even when it is present. */
    public static final String DISABLE_PROPERTY = "camel.graphteams.accp";
    static final String ACCP_NAME = "AmazonCorrettoCryptoProvider";
    static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    private static final Logger LOG = LoggerFactory.getLogger(RsaOaepProvider.class);
    private static final RsaOaepProvider JDK = new RsaOaepProvider(null, "the JDK's security providers");

    /** null: {@code Cipher.getInstance(transformation)}, the JDK's provider selection. */
    private final Provider provider;
    private final String description;
    private final ThreadLocal<GraphContentCiphers> perThread;
    /** certificateIds whose key this provider refused, each logged once. */
    private final Set<String> refusedKeysLogged = ConcurrentHashMap.newKeySet();

    private RsaOaepProvider(Provider provider, String description) {
        this.provider = provider;
        this.description = description;
        this.perThread = ThreadLocal.withInitial(() -> new GraphContentCiphers(this));
    }

    /** The JDK's provider selection (which also lets a hardware key's own provider take it). */
    public static RsaOaepProvider jdk() {
        return JDK;
    }

    /** ACCP, when it is on the class path or registered with the JVM and passes its health check. */
    public static Optional<RsaOaepProvider> amazonCorretto() {
        return Optional.ofNullable(Corretto.PROBE.provider());
    }

    /**
     * What the component uses: ACCP when available and not disabled with {@value #DISABLE_PROPERTY}{@code =false},
     * else the JDK. Decided once per JVM (class loader) and logged once at INFO.
     */
    public static RsaOaepProvider selected() {
        return Selected.INSTANCE;
    }

    /** The choice for a value of {@value #DISABLE_PROPERTY}, and the reason when ACCP is not chosen. */
    static Choice choose(String disableProperty) {
        if ("false".equalsIgnoreCase(trimmed(disableProperty))) {
            return new Choice(JDK, "Amazon Corretto Crypto Provider disabled by -D" + DISABLE_PROPERTY + "=false");
        }
        Probe probe = Corretto.PROBE;
        return probe.provider() != null ? new Choice(probe.provider(), null) : new Choice(JDK, probe.absence());
    }

    /** ACCP looked up the way the component does: registered with the JVM first, then through {@code loader}. */
    static Probe probe(ClassLoader loader) {
        Provider provider = Security.getProvider(ACCP_NAME);
        if (provider == null) {
            try {
                Class<?> type = Class.forName(ACCP_CLASS, true, loader);
                provider = (Provider) type.getField("INSTANCE").get(null);
            } catch (ClassNotFoundException | NoClassDefFoundError e) {
                return Probe.absent("Amazon Corretto Crypto Provider not on the class path");
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return Probe.absent("Amazon Corretto Crypto Provider cannot be loaded: " + e);
            }
        }
        String unhealthy = healthProblem(provider);
        if (unhealthy != null) {
            return Probe.absent("Amazon Corretto Crypto Provider " + provider.getVersionStr() + " is present but not"
                                + " usable on this machine: " + unhealthy);
        }
        try {
            Cipher.getInstance(GraphContentCiphers.DATA_KEY_TRANSFORMATION, provider);
        } catch (GeneralSecurityException e) {
            return Probe.absent("Amazon Corretto Crypto Provider " + provider.getVersionStr() + " does not offer "
                                + GraphContentCiphers.DATA_KEY_TRANSFORMATION);
        }
        return new Probe(new RsaOaepProvider(provider, provider.getName() + " " + provider.getVersionStr()), null);
    }

    /** ACCP's own verdict: the native library's loading error, then its self-tests; null when healthy. */
    private static String healthProblem(Provider provider) {
        try {
            Object loadingError = provider.getClass().getMethod("getLoadingError").invoke(provider);
            if (loadingError != null) {
                return loadingError.toString();
            }
            provider.getClass().getMethod("assertHealthy").invoke(provider);
            return null;
        } catch (InvocationTargetException e) {
            return String.valueOf(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "its health check cannot be called: " + e;
        }
    }

    /** The provider, or empty for the JDK's selection. */
    public Optional<Provider> provider() {
        return Optional.ofNullable(provider);
    }

    public boolean isAmazonCorretto() {
        return provider != null;
    }

    /** This thread's cipher objects, created with this provider on first use. */
    GraphContentCiphers ciphersForCurrentThread() {
        return perThread.get();
    }

    /** Logs, once per certificateId, that this provider refused a key and the JDK's providers took it instead. */
    void keyRefused(DecryptionKey key, GeneralSecurityException reason) {
        if (refusedKeysLogged.add(key.getCertificateId())) {
            LOG.info("{} cannot use the private key of certificateId '{}' ({}: {}); the JDK's security providers"
                     + " unwrap its dataKey instead", description, key.getCertificateId(),
                    key.getPrivateKey().getClass().getName(), reason.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return description;
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    /** A provider choice and, when ACCP was not chosen, why. */
    record Choice(RsaOaepProvider provider, String reason) {
        String logMessage() {
            return provider.isAmazonCorretto()
                    ? "Graph notifications: dataKey unwrapped (RSA-OAEP) by " + provider + ", HMAC-SHA256 and AES-CBC"
                      + " by the JDK's providers; -D" + DISABLE_PROPERTY + "=false turns it off"
                    : "Graph notifications: decrypted by the JDK's security providers (" + reason + ")";
        }
    }

    /** The outcome of looking for ACCP: the provider, or why there is none. */
    record Probe(RsaOaepProvider provider, String absence) {
        static Probe absent(String why) {
            return new Probe(null, why);
        }
    }

    /** Probed once, on first need, so a JVM without ACCP pays one failed class lookup. */
    private static final class Corretto {
        static final Probe PROBE = probe(RsaOaepProvider.class.getClassLoader());
    }

    private static final class Selected {
        static final RsaOaepProvider INSTANCE = selectAndLog();

        private static RsaOaepProvider selectAndLog() {
            Choice choice = choose(System.getProperty(DISABLE_PROPERTY));
            LOG.info(choice.logMessage());
            return choice.provider();
        }
    }
}
