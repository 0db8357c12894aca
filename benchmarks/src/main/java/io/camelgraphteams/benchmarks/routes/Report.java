package io.camelgraphteams.benchmarks.routes;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeMap;

import io.camelgraphteams.component.crypto.RsaOaepProvider;
import io.camelgraphteams.testsupport.cpu.CpuMeter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** The lines every benchmark prints the same way. */
final class Report {

    /** The routes app's one-line-per-message logger (sinks/*.yaml). */
    static final String MESSAGE_LOGGER = "io.camelgraphteams.routes.messages";

    private Report() {
    }

    /**
     * Prints what runs and with which settings. ACCP is turned off unless {@code accp=true}: the component chooses once
     * per JVM, at its first decrypting endpoint, so this runs before the app starts. The app logs one line per message
     * at INFO; at benchmark rates that line is turned off (WARN) unless {@code messageLog=true}: its cost is logging,
     * not the pipeline's.
     */
    static void header(String benchmark, BenchSettings settings) {
        if (!settings.flag("accp", false)) {
            // measure the app as shipped: the component would otherwise find the ACCP the component family needs here
            System.setProperty(RsaOaepProvider.DISABLE_PROPERTY, "false");
        }
        boolean messageLog = settings.flag("messageLog", false);
        Configurator.setLevel(MESSAGE_LOGGER, messageLog ? Level.INFO : Level.WARN);
        System.out.printf(Locale.ROOT, "%s: settings %s (defaults otherwise); per-message log line %s%n", benchmark,
                new TreeMap<>(settings.given()), messageLog ? "on" : "off");
        System.out.println("  app and benchmark logs: benchmarks/target/camel-graph-teams-benchmarks.log");
    }

    static void cpu(CpuMeter.Usage usage, long items) {
        System.out.printf(Locale.ROOT, "  CPU                 : this JVM %.2f cores, other processes %s cores%n",
                usage.processCores(), usage.otherCores() < 0 ? "?" : String.format(Locale.ROOT, "%.2f",
                        usage.otherCores()));
        System.out.println("  CPU by thread group : " + usage.byGroup() + " (cores)");
        if (items > 0) {
            System.out.printf(Locale.ROOT, "  CPU per item        : %.0f us: %s (us)%n",
                    usage.processSeconds() / items * 1e6, usage.perItem(items));
        }
    }

    static void machine() {
        System.out.printf(Locale.ROOT, "  machine             : %d processors (%s), %s %s, max heap %.1f GB, %s%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), Runtime.getRuntime().maxMemory() / 1e9,
                ManagementFactory.getGarbageCollectorMXBeans().get(0).getName().split(" ")[0]);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
