package io.camelgraphteams.benchmarks.component;

import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

import io.camelgraphteams.component.crypto.DecryptionKey;
import io.camelgraphteams.component.crypto.DecryptionKeyRing;
import io.camelgraphteams.component.crypto.EncryptedContent;
import io.camelgraphteams.component.crypto.NotificationDecryptor;
import io.camelgraphteams.component.crypto.RsaOaepProvider;
import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.testsupport.cpu.CpuMeter;

import static java.security.spec.MGF1ParameterSpec.SHA1;

/**
 * Amazon Corretto Crypto Provider (ACCP) against the JDK's providers (a runnable main, not a test; needs ACCP on the
 * class path, which the benchmarks' pom puts there for linux-x86_64). Measures, for each provider:
 * <ul>
 * <li>RSA-2048 OAEP (SHA-1, MGF1 SHA-1) unwraps of Graph's 32-byte dataKey per second, cipher initialised per item as
 * the component does;</li>
 * <li>full item decrypts per second through the component's {@link NotificationDecryptor} (unwrap, HMAC-SHA256 check,
 * AES-256-CBC of a ~2 KB chatMessage);</li>
 * <li>the symmetric part alone (HMAC-SHA256 + AES-256-CBC of the same items), which shows why the component takes only
 * RSA from ACCP.</li>
 * </ul>
 * Each on 1 and 2 threads (the symmetric part on 1); JDK and ACCP segments alternate round by round, so load from
 * other processes on a shared machine hits both alike. See docs/performance.md.
 * <pre>
 * mvn -q -pl benchmarks compile exec:java \
 *     -Dexec.mainClass=io.camelgraphteams.benchmarks.component.CryptoProviderBenchmark
 * </pre>
 * Options, as program arguments {@code name=value} or system properties {@code -Dbench.name=value}: {@link #USAGE}.
 */
public final class CryptoProviderBenchmark {

    static final String USAGE = """
            CryptoProviderBenchmark options (program argument name=value, or system property bench.name=value):
              duration=3     measured seconds per segment (one provider, one workload, one thread count)
              rounds=3       segments per cell, JDK and ACCP alternating
              warmup=3       warm-up seconds of each cell before the first round
              threads=1,2    thread counts of the RSA and full-decrypt workloads
              items=1000     distinct encrypted items (each with its own dataKey)
              itemSize=2048  bytes of chatMessage JSON per item
              workloads=unwrap,decrypt,symmetric
                             RSA unwrap, full item decrypt, HMAC + AES only (the last on 1 thread)
            """;
    private static final List<String> NAMES = List.of("duration", "rounds", "warmup", "threads", "items", "itemSize",
            "workloads");
    private static final List<String> WORKLOADS = List.of("unwrap", "decrypt", "symmetric");
    private static final String TRANSFORMATION = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    private static final OAEPParameterSpec OAEP = new OAEPParameterSpec("SHA-1", "MGF1", SHA1,
            PSource.PSpecified.DEFAULT);
    private static final String CERTIFICATE_ID = "benchmark-key";
    private static final long SETTLE_MILLIS = 200;

    private final Map<String, String> options;
    private final DecryptionKey key;
    private final List<EncryptedContent> items = new ArrayList<>();
    private final List<byte[]> wrappedKeys = new ArrayList<>();
    private final List<SymmetricItem> symmetricItems = new ArrayList<>();
    private final RsaOaepProvider jdk = RsaOaepProvider.jdk();
    private final RsaOaepProvider accp;

    /** A ~2 KB item encrypted and signed under a known key, for the symmetric workload. */
    private record SymmetricItem(byte[] key, byte[] data, byte[] signature) {
    }

    /** One thread's unit of work on item {@code index}; returns something derived from the output. */
    @FunctionalInterface
    private interface Operation {
        long run(int index) throws Exception;
    }

    /** Makes a thread's {@link Operation} for a provider choice (each thread owns its JCA objects). */
    @FunctionalInterface
    private interface Workload {
        Operation newOperation(RsaOaepProvider provider) throws GeneralSecurityException;
    }

    /** What a segment did: operations, wall and JVM CPU seconds, cores other processes used. */
    private record Segment(long operations, double wallSeconds, double cpuSeconds, double otherCores) {
        static final Segment NONE = new Segment(0, 0, 0, 0);

        Segment plus(Segment other) {
            return new Segment(operations + other.operations, wallSeconds + other.wallSeconds,
                    cpuSeconds + other.cpuSeconds, Math.max(otherCores, other.otherCores));
        }

        double perSecond() {
            return operations / wallSeconds;
        }

        double perCoreSecond() {
            return operations / cpuSeconds;
        }
    }

    private CryptoProviderBenchmark(Map<String, String> options) throws Exception {
        this.options = options;
        this.accp = RsaOaepProvider.amazonCorretto().orElseThrow(() -> new IllegalStateException(
                "Amazon Corretto Crypto Provider is not available here; RsaOaepProvider logs why at INFO in"
                + " benchmarks/target/camel-graph-teams-benchmarks.log (" + RsaOaepProvider.selected() + " selected)"));
        TestKeys.CertifiedKey certified = TestKeys.generate(2048);
        this.key = certified.decryptionKey(CERTIFICATE_ID);
        SecureRandom random = new SecureRandom();
        Cipher publicRsa = Cipher.getInstance(TRANSFORMATION);
        publicRsa.init(Cipher.ENCRYPT_MODE, certified.certificate().getPublicKey(), OAEP);
        for (int i = 0; i < number("items"); i++) {
            String messageId = Long.toString(1_764_237_600_000L + i);
            byte[] json = NotificationCorpus.paddedChatMessage("19:benchmark@thread.v2", messageId, number("itemSize"));
            EncryptedContent content = TestEncryption.encrypt(json, certified.certificate(), CERTIFICATE_ID);
            items.add(content);
            wrappedKeys.add(Base64.getDecoder().decode(content.dataKey()));
            byte[] contentKey = new byte[32];
            random.nextBytes(contentKey);
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(contentKey, "AES"), new IvParameterSpec(contentKey, 0, 16));
            byte[] data = aes.doFinal(json);
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(contentKey, "HmacSHA256"));
            symmetricItems.add(new SymmetricItem(contentKey, data, hmac.doFinal(data)));
        }
    }

    public static void main(String[] args) throws Exception {
        new CryptoProviderBenchmark(parse(args)).run();
    }

    private void run() throws Exception {
        printHeader();
        List<String> chosen = List.of(options.get("workloads").split(","));
        Map<String, Workload> workloads = new LinkedHashMap<>();
        if (chosen.contains("unwrap")) {
            workloads.put("RSA-2048 OAEP unwrap", this::unwrap);
        }
        if (chosen.contains("decrypt")) {
            workloads.put("full item decrypt", this::fullDecrypt);
        }
        List<String[]> rows = new ArrayList<>();
        for (Map.Entry<String, Workload> workload : workloads.entrySet()) {
            for (String threads : options.get("threads").split(",")) {
                rows.add(cell(workload.getKey(), workload.getValue(), Integer.parseInt(threads.trim())));
            }
        }
        if (chosen.contains("symmetric")) {
            rows.add(cell("HMAC-SHA256 + AES-256-CBC only", this::symmetric, 1));
        }

        System.out.println();
        String format = "%-32s %7s %12s %12s %9s %15s %14s%n";
        System.out.printf(Locale.ROOT, format, "workload", "threads", "JDK ops/s", "ACCP ops/s", "speed-up",
                "per core-second", "others (cores)");
        for (String[] row : rows) {
            System.out.printf(Locale.ROOT, format, (Object[]) row);
        }
        System.out.println();
        System.out.println("speed-up = ACCP / JDK in wall time; per core-second = the same in operations per second of"
                           + " this JVM's CPU time (insensitive to other processes); others = the most cores other"
                           + " processes kept busy during any segment of the row (shared machine: rows above ~0.1"
                           + " are disturbed).");
    }

    /** Warms up, then measures JDK and ACCP in alternating segments; returns the report row. */
    private String[] cell(String name, Workload workload, int threads) throws Exception {
        double duration = decimal("duration");
        int rounds = number("rounds");
        System.out.printf(Locale.ROOT, "%-32s %d thread(s): warm-up", name, threads);
        segment(workload, jdk, threads, decimal("warmup"));
        segment(workload, accp, threads, decimal("warmup"));
        Segment jdkTotal = Segment.NONE;
        Segment accpTotal = Segment.NONE;
        for (int round = 0; round < rounds; round++) {
            // alternate which provider goes first, so a drift in load favours neither
            boolean accpFirst = round % 2 == 1;
            Segment first = segment(workload, accpFirst ? accp : jdk, threads, duration);
            Segment second = segment(workload, accpFirst ? jdk : accp, threads, duration);
            jdkTotal = jdkTotal.plus(accpFirst ? second : first);
            accpTotal = accpTotal.plus(accpFirst ? first : second);
            System.out.print(".");
        }
        System.out.printf(Locale.ROOT, " JDK %,.0f/s, ACCP %,.0f/s%n", jdkTotal.perSecond(), accpTotal.perSecond());
        return new String[] {
                name, Integer.toString(threads),
                String.format(Locale.ROOT, "%,.0f", jdkTotal.perSecond()),
                String.format(Locale.ROOT, "%,.0f", accpTotal.perSecond()),
                String.format(Locale.ROOT, "%.2fx", accpTotal.perSecond() / jdkTotal.perSecond()),
                String.format(Locale.ROOT, "%.2fx", accpTotal.perCoreSecond() / jdkTotal.perCoreSecond()),
                String.format(Locale.ROOT, "%.2f", Math.max(jdkTotal.otherCores(), accpTotal.otherCores())) };
    }

    /** Runs {@code threads} threads of the workload for {@code seconds} (after a short settle) and counts. */
    private Segment segment(Workload workload, RsaOaepProvider provider, int threads, double seconds)
            throws Exception {
        AtomicLongArray done = new AtomicLongArray(threads * 16); // one slot per thread, 128 bytes apart
        long[] sink = new long[threads * 16];
        Throwable[] failure = new Throwable[1];
        Thread[] workers = new Thread[threads];
        AtomicBoolean running = new AtomicBoolean(true);
        for (int t = 0; t < threads; t++) {
            int slot = t * 16;
            int start = items.size() * t / threads;
            workers[t] = new Thread(() -> {
                try {
                    Operation operation = workload.newOperation(provider);
                    int i = start;
                    long result = 0;
                    while (running.get()) {
                        result += operation.run(i);
                        done.lazySet(slot, done.get(slot) + 1);
                        if (++i == items.size()) {
                            i = 0;
                        }
                    }
                    sink[slot] = result;
                } catch (Exception e) {
                    failure[0] = e;
                }
            }, "bench-raw-" + t);
            workers[t].start();
        }
        Thread.sleep(SETTLE_MILLIS);
        CpuMeter.Sample cpuStart = CpuMeter.sample();
        long before = sum(done, threads);
        Thread.sleep(Math.round(seconds * 1000));
        long after = sum(done, threads);
        CpuMeter.Usage usage = CpuMeter.sample().since(cpuStart);
        running.set(false);
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException(provider + " failed the workload", failure[0]);
        }
        return new Segment(after - before, usage.wallSeconds(), usage.processSeconds(), usage.otherCores());
    }

    private static long sum(AtomicLongArray done, int threads) {
        long total = 0;
        for (int t = 0; t < threads; t++) {
            total += done.get(t * 16);
        }
        return total;
    }

    private Operation unwrap(RsaOaepProvider provider) throws GeneralSecurityException {
        Cipher rsa = provider.provider().isPresent()
                ? Cipher.getInstance(TRANSFORMATION, provider.provider().get())
                : Cipher.getInstance(TRANSFORMATION);
        return index -> {
            rsa.init(Cipher.DECRYPT_MODE, key.getPrivateKey(), OAEP);
            byte[] contentKey = rsa.doFinal(wrappedKeys.get(index));
            if (contentKey.length != 32) {
                throw new IllegalStateException("dataKey did not unwrap to 32 bytes");
            }
            return contentKey[index % 32];
        };
    }

    private Operation fullDecrypt(RsaOaepProvider provider) {
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)), provider);
        return index -> {
            byte[] plaintext = decryptor.decrypt(items.get(index), key);
            return plaintext.length + plaintext[plaintext.length / 2];
        };
    }

    private Operation symmetric(RsaOaepProvider provider) throws GeneralSecurityException {
        Provider chosen = provider.provider().orElse(null);
        Mac hmac = chosen == null ? Mac.getInstance("HmacSHA256") : Mac.getInstance("HmacSHA256", chosen);
        Cipher aes = chosen == null ? Cipher.getInstance("AES/CBC/PKCS5Padding")
                : Cipher.getInstance("AES/CBC/PKCS5Padding", chosen);
        return index -> {
            SymmetricItem item = symmetricItems.get(index);
            hmac.init(new SecretKeySpec(item.key(), "HmacSHA256"));
            if (!MessageDigest.isEqual(hmac.doFinal(item.data()), item.signature())) {
                throw new IllegalStateException("dataSignature does not match: the corpus is broken");
            }
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(item.key(), "AES"), new IvParameterSpec(item.key(), 0, 16));
            byte[] plaintext = aes.doFinal(item.data());
            return plaintext.length + plaintext[plaintext.length / 2];
        };
    }

    private void printHeader() {
        Provider accpProvider = accp.provider().orElseThrow();
        System.out.println("camel-graph-teams crypto provider benchmark: JDK vs Amazon Corretto Crypto Provider");
        System.out.printf(Locale.ROOT, "JVM      : %s %s (%s)%n", System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), System.getProperty("java.vm.vendor"));
        System.out.printf(Locale.ROOT, "Machine  : %d available processors, %s %s %s, load average %.2f at start%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "Providers: JDK = %s for RSA, %s for HMAC/AES; ACCP = %s %s (AWS-LC %s)%n",
                providerOf(TRANSFORMATION), providerOf("AES/CBC/PKCS5Padding"), accpProvider.getName(),
                accpProvider.getVersionStr(), awsLcVersion(accpProvider));
        System.out.printf(Locale.ROOT, "Component: %s selected (RsaOaepProvider.selected())%n", RsaOaepProvider.selected());
        System.out.printf(Locale.ROOT, "Corpus   : %d items of ~%d B chatMessage JSON, each with its own RSA-2048 "
                                       + "OAEP-wrapped key%n", items.size(), number("itemSize"));
        System.out.printf(Locale.ROOT, "Settings : %s s per segment, %s rounds (JDK and ACCP alternating), %s s "
                                       + "warm-up per cell, threads %s%n", options.get("duration"),
                options.get("rounds"), options.get("warmup"), options.get("threads"));
        System.out.println();
    }

    private static String providerOf(String transformation) {
        try {
            return Cipher.getInstance(transformation).getProvider().getName();
        } catch (GeneralSecurityException e) {
            return "none";
        }
    }

    private static String awsLcVersion(Provider accpProvider) {
        try {
            return String.valueOf(accpProvider.getClass().getMethod("getAwsLcVersionStr").invoke(accpProvider));
        } catch (ReflectiveOperationException e) {
            return "unknown";
        }
    }

    private int number(String name) {
        int value = Integer.parseInt(options.get(name).trim());
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value + "\n" + USAGE);
        }
        return value;
    }

    private double decimal(String name) {
        double value = Double.parseDouble(options.get(name).trim());
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value + "\n" + USAGE);
        }
        return value;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>(Map.of("duration", "3", "rounds", "3", "warmup", "3",
                "threads", "1,2", "items", "1000", "itemSize", "2048", "workloads", String.join(",", WORKLOADS)));
        for (String name : NAMES) {
            String property = System.getProperty("bench." + name);
            if (property != null) {
                values.put(name, property);
            }
        }
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals <= 0 || !NAMES.contains(arg.substring(0, equals))) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + USAGE);
            }
            values.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        if (!WORKLOADS.containsAll(List.of(values.get("workloads").split(",")))) {
            throw new IllegalArgumentException("workloads must be among " + WORKLOADS + "\n" + USAGE);
        }
        if (Arrays.stream(values.get("threads").split(",")).anyMatch(t -> Integer.parseInt(t.trim()) <= 0)) {
            throw new IllegalArgumentException("threads must be positive counts, was " + values.get("threads"));
        }
        return values;
    }
}
