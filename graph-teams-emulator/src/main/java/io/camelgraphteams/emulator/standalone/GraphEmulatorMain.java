package io.camelgraphteams.emulator.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.GraphEmulatorBuilder;
import io.camelgraphteams.emulator.demo.DemoTenant;

/**
 * Runs the emulator until Ctrl-C.
 *
 * <pre>
 * mvn -pl graph-teams-emulator exec:java -Dexec.args="--graph-port 8081 --identity-port 8443"
 * </pre>
 *
 * Options: --config FILE (JSON, see {@link EmulatorConfig}), --graph-port N, --identity-port N, --host H, --tenant ID,
 * --certificate-out FILE (writes the HTTPS certificate as PEM, to add to a trust store). Options win over the file.
 */
public final class GraphEmulatorMain {

    private GraphEmulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        GraphEmulator emulator = launch(args);
        if (emulator == null) {
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.stop();
            stopped.countDown();
        }, "graph-emulator-shutdown"));
        stopped.await();
    }

    /** Parses the options, starts the emulator and prints where it listens; null after --help. */
    public static GraphEmulator launch(String[] args) throws IOException {
        GraphEmulatorBuilder builder = GraphEmulator.builder().graphPort(8081).identityPort(8443).seed(DemoTenant.seed());
        boolean anyApp = false;
        Path certificateOut = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                usage();
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value; try --help");
            }
            String value = args[++i];
            switch (option) {
            case "--config" -> {
                JsonNode config = EmulatorConfig.read(Path.of(value));
                anyApp |= EmulatorConfig.apply(config, builder);
            }
            case "--graph-port" -> builder.graphPort(Integer.parseInt(value));
            case "--identity-port" -> builder.identityPort(Integer.parseInt(value));
            case "--host" -> builder.host(value);
            case "--tenant" -> builder.tenantId(value);
            case "--certificate-out" -> certificateOut = Path.of(value);
            default -> throw new IllegalArgumentException("unknown option " + option + "; try --help");
            }
        }
        if (!anyApp) {
            builder.registerApp(DemoTenant.app(DemoTenant.CLIENT_SECRET));
        }
        GraphEmulator emulator = builder.start();
        if (certificateOut != null) {
            writeCertificate(emulator, certificateOut);
        }
        System.out.println(banner(emulator, anyApp));
        return emulator;
    }

    private static void writeCertificate(GraphEmulator emulator, Path file) throws IOException {
        Files.writeString(file, emulator.tlsCertificatePem());
    }

    static String banner(GraphEmulator emulator, boolean customApps) {
        StringBuilder b = new StringBuilder();
        b.append("Graph emulator running (Ctrl-C stops it)\n");
        b.append("  Graph          ").append(emulator.graphV1Url()).append("  (and /beta)\n");
        b.append("  control API    ").append(emulator.controlUrl()).append('\n');
        b.append("  authority      ").append(emulator.authority()).append("  (msal4j .authority + instanceDiscovery(false))\n");
        b.append("  OIDC authority ").append(emulator.oidcAuthority()).append('\n');
        b.append("  JWKS           ").append(emulator.jwksUrl()).append('\n');
        b.append("  tenant         ").append(emulator.tenantId()).append('\n');
        if (!customApps) {
            b.append("  demo app       client id ").append(DemoTenant.CLIENT_ID).append(", secret ")
                    .append(DemoTenant.CLIENT_SECRET).append('\n');
        }
        b.append("  HTTPS certificate (self-signed; trust it or fetch ").append(emulator.controlUrl())
                .append("/certificate):\n").append(emulator.tlsCertificatePem());
        return b.toString();
    }

    private static void usage() {
        System.out.println("""
                graph-teams-emulator: a local Microsoft Graph for Teams chatMessage change notifications
                  --config FILE            JSON config (ports, tenant, apps, seed data, timeScale)
                  --graph-port N           Graph + control API, plain HTTP (default 8081, 0 = any free port)
                  --identity-port N        identity platform, HTTPS (default 8443, 0 = any free port)
                  --host H                 interface to bind (default 127.0.0.1)
                  --tenant ID              default tenant id
                  --certificate-out FILE   write the HTTPS certificate (PEM) to FILE
                """);
    }
}
