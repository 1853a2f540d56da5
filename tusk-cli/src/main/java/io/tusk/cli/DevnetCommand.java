package io.tusk.cli;

import io.tusk.gateway.Gateway;
import io.tusk.gateway.GatewayConfig;
import io.tusk.testkit.LocalCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tusk devnet [--dir DIR] [--nodes 4] [--shards 100]}: a whole network in this process, until stopped. */
@Command(name = "devnet", mixinStandardHelpOptions = true,
        description = "Run a local network (control plane and storage nodes) in one process; data stays in DIR across restarts.")
final class DevnetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the devnet keeps its data (default: ~/.local/share/tusk/devnet).")
    Path dir;

    @Option(names = "--nodes", defaultValue = "4", description = "Storage nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--shards", defaultValue = "100", description = "Shards (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--control-port", defaultValue = "9180", description = "Control plane port on the first start, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int controlPort;

    @Option(names = "--node-port", defaultValue = "9185", description = "First storage node's port on the first start; the others follow; 0 for free ports (default: ${DEFAULT-VALUE}).")
    int nodePort;

    @Option(names = "--gateway-port", defaultValue = "31415", description = "Publisher/aggregator gateway port, 0 for any free port, -1 for no gateway (default: ${DEFAULT-VALUE}). The S3 API listens on the next port (any free one with 0).")
    int gatewayPort;

    @Mixin
    JwtOptions jwt;

    @Override
    public Integer call() throws Exception {
        Daemon.useServiceLogging();
        Path directory = (dir != null ? dir : defaultDirectory()).toAbsolutePath();
        LocalCluster cluster = LocalCluster.start(directory, nodes, shards, controlPort, nodePort);
        Gateway gateway = null;
        if (gatewayPort >= 0) {
            try {
                // The gateway pays with the devnet's funded wallet; its disk cache lives in the devnet's directory.
                // The S3 API follows the gateway's port (31416 by default) and acts for the same account.
                gateway = Gateway.start(GatewayConfig.of(cluster.controlUrl(), directory.resolve("wallet.key"))
                        .withPort(gatewayPort).withS3Port(gatewayPort == 0 ? 0 : gatewayPort + 1)
                        .withCache(64L << 20, 256L << 20, directory.resolve("gateway-cache"))
                        .withAuth(jwt.applyTo(io.tusk.gateway.auth.PublisherAuthConfig.NONE)));
                writeS3Env(directory.resolve("s3.env"), gateway);
            } catch (RuntimeException | java.io.IOException e) {
                cluster.close();
                throw e;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Tusk devnet is running: " + cluster.nodeCount() + " storage nodes, " + cluster.layout().shardCount() + " shards.");
        out.println("  data:          " + directory);
        out.println("  control plane: " + cluster.controlUrl());
        for (int i = 0; i < cluster.nodeCount(); i++) {
            out.println("  node-" + (i + 1) + ":        " + (cluster.node(i) != null ? cluster.node(i).url()
                    : "DOWN: " + cluster.nodeFailure(i).orElse("not started") + " (the other nodes serve)"));
        }
        if (gateway != null) {
            out.println("  gateway:       " + gateway.uri() + "  (Walrus publisher and aggregator HTTP API)");
            out.println("  console:       " + gateway.uri() + "/console");
            if (gateway.auth().enabled()) {
                out.println("  publisher auth: " + gateway.auth().config() + " (stores need 'Authorization: Bearer <JWT>')");
            }
            out.println("  s3:            " + gateway.s3Uri().orElseThrow());
            out.println("  s3 env:        " + directory.resolve("s3.env") + "  (S3 credentials of the devnet's account)");
        }
        out.println("  client config: " + cluster.clientConfigFile());
        out.println("Try:  export TUSK_CONFIG=" + cluster.clientConfigFile());
        out.println("      ./tusk store README.md && ./tusk read <blob ID> --out copy.md && ./tusk info");
        if (gateway != null) {
            out.println("      curl -X PUT \"" + gateway.uri() + "/v1/blobs?epochs=5\" -d \"some string\""
                    + (gateway.auth().enabled() ? " -H \"Authorization: Bearer $JWT\"" : ""));
            out.println("      set -a; . " + directory.resolve("s3.env") + "; set +a; aws --endpoint-url \"$AWS_ENDPOINT_URL\" s3 ls");
        }
        out.println("Every part serves Prometheus metrics at URL/metrics (docs/operations.md).");
        out.println("Stop with Ctrl-C; starting again with --dir " + directory + " keeps all data.");
        out.flush();
        Gateway running = gateway;
        Daemon.runUntilStopped(() -> {
            try {
                if (running != null) {
                    running.close();
                }
            } finally {
                cluster.close();
            }
        });
        return 0;
    }

    /**
     * {@code DIR/s3.env}: the S3 API's endpoint and the devnet account's S3 credentials as the AWS tools read them
     * ({@code set -a; . DIR/s3.env}); readable by the owner only, it holds a secret.
     */
    static void writeS3Env(Path file, Gateway gateway) throws java.io.IOException {
        io.tusk.s3.Credentials credentials = gateway.s3Credentials();
        String env = "AWS_ACCESS_KEY_ID=" + credentials.accessKeyId() + "\n"
                + "AWS_SECRET_ACCESS_KEY=" + credentials.secretAccessKey() + "\n"
                + "AWS_ENDPOINT_URL=" + gateway.s3Uri().orElseThrow() + "\n"
                + "AWS_DEFAULT_REGION=" + io.tusk.s3.S3Config.DEFAULT_REGION + "\n";
        java.nio.file.Files.deleteIfExists(file);
        try {
            java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            java.nio.file.Files.createFile(file);
        }
        java.nio.file.Files.writeString(file, env);
    }

    static Path defaultDirectory() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("tusk").resolve("devnet");
    }
}
