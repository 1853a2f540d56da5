package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.client.AccountKeys;
import io.tusk.client.ClientConfig;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobInfo;
import io.tusk.control.state.GenesisConfig;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.TuskJson;
import io.tusk.node.StorageNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network as separate OS processes: a control plane and four storage nodes started from the packaged CLI
 * ({@code target/tusk-cli.jar} and {@code target/lib}, so this runs in the {@code integration-test} phase, after
 * {@code package}), configured by files this test writes, on loopback. Stores and reads through the SDK, SIGKILLs a
 * node and reads, restarts it and reads, SIGKILLs and restarts the control plane (statuses unchanged, stores go on),
 * then SIGKILLs two other nodes so that reads need the restarted node's data.
 * Every process is killed at the end, whatever happens.
 */
class MultiProcessIT {
    private static final String HOST = "127.0.0.1";
    private static final int NODES = 4;
    private static final int SHARDS = 10;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120); // generous: CI machines may be busy

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Path> logs = new LinkedHashMap<>();

    @Test
    void shouldStoreAndReadAcrossProcessesThroughANodeCrashAndRestart() throws Exception {
        long seed = seed();
        Random random = new Random(seed);
        Thread killer = new Thread(this::killAll, "multi-process-it-killer"); // even if the test JVM is stopped
        Runtime.getRuntime().addShutdownHook(killer);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            Ed25519KeyPair admin = AccountKeys.loadOrCreate(dir.resolve("admin.key"));
            Ed25519KeyPair wallet = AccountKeys.loadOrCreate(dir.resolve("wallet.key"));
            int controlPort = freePort();
            URI controlUrl = URI.create("http://" + HOST + ":" + controlPort);
            List<Integer> nodePorts = new ArrayList<>();
            List<GenesisConfig.GenesisNode> genesisNodes = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                int port = freePort();
                nodePorts.add(port);
                Path nodeDir = Files.createDirectories(dir.resolve("node-" + i));
                BlsKeyPair key = StorageNode.loadOrCreateKey(nodeDir.resolve("bls.key"));
                Address owner = admin.publicKey().address();
                byte[] proof = new ProofOfPossessionMessage(0, owner, key.publicKey()).sign(key).signature().bytes();
                genesisNodes.add(new GenesisConfig.GenesisNode("node-" + i, HOST + ":" + port, owner.toString(),
                        key.publicKey().bytes(), proof, 1_000_000));
                Files.writeString(nodeDir.resolve("node.yaml"), """
                        dataDir: db
                        blsKeyFile: bls.key
                        controlUrl: %s
                        bindHost: %s
                        port: %d
                        """.formatted(controlUrl, HOST, port), StandardCharsets.UTF_8);
            }
            GenesisConfig genesis = GenesisConfig.devnet(admin.publicKey().address().toString(), System.currentTimeMillis(), genesisNodes)
                    .withShardCount(SHARDS)
                    .withInitialBalances(Map.of(wallet.publicKey().address().toString(), 1_000_000_000_000_000L));
            TuskJson.mapper().writeValue(dir.resolve("genesis.json").toFile(), genesis);
            Files.writeString(dir.resolve("control.yaml"), """
                    dataDir: control
                    bindHost: %s
                    port: %d
                    genesisFile: genesis.json
                    """.formatted(HOST, controlPort), StandardCharsets.UTF_8);

            long start = System.nanoTime();
            Process control = launch("control", "control", dir.resolve("control.yaml"));
            awaitJson(http, "control", control, controlUrl.resolve("/v1/health"), json -> true);
            List<Process> nodes = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                nodes.add(launchNode(i));
            }
            for (int i = 0; i < NODES; i++) {
                awaitNodeReady(http, i, nodes.get(i), nodePorts.get(i));
            }
            System.out.printf("[multi-process] control plane and %d nodes up in %d ms%n", NODES, millisSince(start));

            try (TuskClient client = new TuskClient(ClientConfig.of(controlUrl, wallet))) {
                Map<BlobId, byte[]> stored = new LinkedHashMap<>();
                for (int size : List.of(0, 1, 5_000, 100_000, 400_000)) {
                    byte[] blob = new byte[size];
                    random.nextBytes(blob);
                    StoreResult result = client.store(blob, size % 2 == 0 ? StoreOptions.defaults() : StoreOptions.defaults().permanent());
                    assertThat(result).isInstanceOf(StoreResult.NewlyCreated.class);
                    stored.put(BlobId.parse(result.blobId()), blob);
                }
                assertAllRead(client, stored);

                // SIGKILL one node: reads and stores go on without it
                int victim = random.nextInt(NODES);
                kill(nodes.get(victim));
                assertAllRead(client, stored);
                byte[] whileDown = new byte[50_000];
                random.nextBytes(whileDown);
                BlobId whileDownId = BlobId.parse(client.store(whileDown, StoreOptions.defaults()).blobId());
                assertThat(client.read(whileDownId)).isEqualTo(whileDown);

                // restart it on its data
                nodes.set(victim, launchNode(victim));
                awaitNodeReady(http, victim, nodes.get(victim), nodePorts.get(victim));
                assertAllRead(client, stored);
                assertThat(client.read(whileDownId)).isEqualTo(whileDown);

                // SIGKILL the control plane and start it again on its journal: statuses unchanged, stores go on
                Map<BlobId, BlobInfo> statuses = new LinkedHashMap<>();
                for (BlobId id : stored.keySet()) {
                    statuses.put(id, client.status(id));
                }
                kill(control);
                control = launch("control", "control", dir.resolve("control.yaml"));
                awaitJson(http, "control", control, controlUrl.resolve("/v1/health"), json -> true);
                for (BlobId id : stored.keySet()) {
                    assertThat(client.status(id)).isEqualTo(statuses.get(id));
                }
                byte[] afterControlCrash = new byte[30_000];
                random.nextBytes(afterControlCrash);
                BlobId afterControlCrashId = BlobId.parse(client.store(afterControlCrash, StoreOptions.defaults()).blobId());
                assertThat(client.read(afterControlCrashId)).isEqualTo(afterControlCrash);

                // SIGKILL two others: the restarted node's shards are now needed for every read of the older blobs
                // (10 shards on 4 nodes are 3+3+2+2; two nodes keep at least 4 = the primary slivers a read needs)
                List<Integer> others = new ArrayList<>();
                for (int i = 0; i < NODES; i++) {
                    if (i != victim) {
                        others.add(i);
                    }
                }
                java.util.Collections.shuffle(others, random);
                kill(nodes.get(others.get(0)));
                kill(nodes.get(others.get(1)));
                assertAllRead(client, stored);
            }
        } catch (Throwable failure) {
            System.out.println("[multi-process] failed with seed " + seed + " in " + dir + ": " + failure);
            printLogTails();
            throw failure;
        } finally {
            killAll();
            Runtime.getRuntime().removeShutdownHook(killer);
        }
    }

    private static long seed() {
        String fixed = System.getProperty("tusk.test.seed");
        long seed = fixed == null || fixed.isBlank() ? new Random().nextLong() : Long.parseLong(fixed.trim());
        System.out.println("[multi-process] seed " + seed + " (replay with -Dtusk.test.seed=" + seed + ")");
        return seed;
    }

    private static void assertAllRead(TuskClient client, Map<BlobId, byte[]> stored) {
        stored.forEach((id, blob) -> assertThat(client.read(id)).as("blob %s (%d bytes)", id, blob.length).isEqualTo(blob));
    }

    private Process launchNode(int i) throws IOException {
        return launch("node-" + i, "node", dir.resolve("node-" + i).resolve("node.yaml"));
    }

    /** Starts {@code tusk <command> --config <config>} from the packaged CLI, output appended to a log file. */
    private Process launch(String name, String command, Path config) throws IOException {
        Path jar = Path.of(System.getProperty("tusk.cli.jar", "target/tusk-cli.jar")).toAbsolutePath();
        Path lib = Path.of(System.getProperty("tusk.cli.lib", "target/lib")).toAbsolutePath();
        assertThat(jar).as("the packaged CLI (run in the integration-test phase, after package)").isRegularFile();
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve(name + ".log");
        logs.put(name, log);
        ProcessBuilder builder = new ProcessBuilder(javaBin.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", // short-lived: start fast
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", jar + File.pathSeparator + lib + File.separator + "*",
                "io.tusk.cli.Main", command, "--config", config.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = builder.start();
        synchronized (processes) {
            processes.add(process);
        }
        return process;
    }

    private static void kill(Process process) throws InterruptedException {
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of RocksDB
        assertThat(process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    private void killAll() {
        List<Process> all;
        synchronized (processes) {
            all = List.copyOf(processes);
        }
        for (Process process : all) {
            process.destroyForcibly();
        }
        for (Process process : all) {
            try {
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The node answers its health check and has learnt the genesis committee (epoch 1). */
    private void awaitNodeReady(HttpClient http, int i, Process process, int port) throws Exception {
        awaitJson(http, "node-" + i, process, URI.create("http://" + HOST + ":" + port + "/v1/health"),
                json -> json.path("epoch").asInt() >= 1 || json.path("success").path("data").path("epoch").asInt() >= 1);
    }

    private void awaitJson(HttpClient http, String name, Process process, URI uri, java.util.function.Predicate<JsonNode> ready)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready");
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && ready.test(json.readTree(response.body()))) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " was not ready within " + START_TIMEOUT + " at " + uri + "; last answer: " + last);
    }

    private void printLogTails() {
        logs.forEach((name, log) -> {
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                System.out.println("---- " + name + " (" + log + "), last lines:");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
            } catch (IOException e) {
                System.out.println("---- " + name + ": cannot read " + log + ": " + e);
            }
        });
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }
}
