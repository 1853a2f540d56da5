package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.client.AccountKeys;
import io.tusk.client.ClientConfig;
import io.tusk.client.TuskClient;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.client.ControlClient;
import io.tusk.control.state.GenesisConfig;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.http.TuskJson;
import io.tusk.node.StorageNode;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A control plane and storage nodes as separate OS processes of the packaged CLI ({@code target/tusk-cli.jar} and
 * {@code target/lib}: failsafe runs it after {@code package}), configured by files written into one directory, on
 * loopback. Processes are SIGKILLed ({@link Process#destroyForcibly}) by {@link #kill} and all of them by
 * {@link #close}, which a JVM shutdown hook also runs.
 */
final class ProcessCluster implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120); // generous: CI machines may be busy

    private final Path dir;
    private final int shardCount;
    private final Ed25519KeyPair wallet;
    private final URI controlUrl;
    private final List<Integer> nodePorts = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Path> logs = new LinkedHashMap<>();
    private final Process[] nodes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread killer = new Thread(this::killAll, "process-cluster-killer");
    private Process control;

    /** Writes the configuration of {@code stakes.length} nodes (node i with stake {@code stakes[i]}) and a genesis. */
    ProcessCluster(Path dir, int shardCount, long... stakes) throws IOException {
        this.dir = dir;
        this.shardCount = shardCount;
        this.nodes = new Process[stakes.length];
        Ed25519KeyPair admin = AccountKeys.loadOrCreate(dir.resolve("admin.key"));
        this.wallet = AccountKeys.loadOrCreate(dir.resolve("wallet.key"));
        int controlPort = freePort();
        this.controlUrl = URI.create("http://" + HOST + ":" + controlPort);
        List<GenesisConfig.GenesisNode> genesisNodes = new ArrayList<>();
        for (int i = 0; i < stakes.length; i++) {
            int port = freePort();
            nodePorts.add(port);
            Path nodeDir = Files.createDirectories(dir.resolve("node-" + i));
            BlsKeyPair key = StorageNode.loadOrCreateKey(nodeDir.resolve("bls.key"));
            Address owner = admin.publicKey().address();
            byte[] proof = new ProofOfPossessionMessage(0, owner, key.publicKey()).sign(key).signature().bytes();
            genesisNodes.add(new GenesisConfig.GenesisNode("node-" + i, HOST + ":" + port, owner.toString(),
                    key.publicKey().bytes(), proof, stakes[i]));
            Files.writeString(nodeDir.resolve("node.yaml"), """
                    dataDir: db
                    blsKeyFile: bls.key
                    controlUrl: %s
                    bindHost: %s
                    port: %d
                    """.formatted(controlUrl, HOST, port), StandardCharsets.UTF_8);
        }
        GenesisConfig genesis = GenesisConfig.devnet(admin.publicKey().address().toString(), System.currentTimeMillis(),
                        genesisNodes)
                .withShardCount(shardCount)
                .withInitialBalances(Map.of(wallet.publicKey().address().toString(), 1_000_000_000_000_000L));
        TuskJson.mapper().writeValue(dir.resolve("genesis.json").toFile(), genesis);
        Files.writeString(dir.resolve("control.yaml"), """
                dataDir: control
                bindHost: %s
                port: %d
                genesisFile: genesis.json
                """.formatted(HOST, controlPort), StandardCharsets.UTF_8);
        Runtime.getRuntime().addShutdownHook(killer); // even if the test JVM is stopped
    }

    /** Starts the control plane and every node, and waits until all are ready. */
    void startAll() throws Exception {
        startControl();
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = launch("node-" + i, "node", dir.resolve("node-" + i).resolve("node.yaml"));
        }
        for (int i = 0; i < nodes.length; i++) {
            awaitNodeReady(i);
        }
    }

    void startControl() throws Exception {
        control = launch("control", "control", dir.resolve("control.yaml"));
        awaitJson("control", control, controlUrl.resolve("/v1/health"), json -> true);
    }

    void killControl() throws InterruptedException {
        kill(control);
    }

    /** Starts node {@code i}'s process on its data directory and waits until it answers and knows the committee. */
    void startNode(int i) throws Exception {
        nodes[i] = launch("node-" + i, "node", dir.resolve("node-" + i).resolve("node.yaml"));
        awaitNodeReady(i);
    }

    /**
     * Starts node {@code i}'s process with extra JVM arguments (fail points: {@code -Dtusk.failpoints=...}) and does
     * not wait for it: a node armed to crash may die before it is ready.
     */
    void launchNode(int i, String... jvmArgs) throws IOException {
        nodes[i] = launch("node-" + i, "node", dir.resolve("node-" + i).resolve("node.yaml"), jvmArgs);
    }

    /** Waits up to {@code timeout} for node {@code i}'s process to exit; its exit status, or -1 if it still runs. */
    int awaitExit(int i, Duration timeout) throws InterruptedException {
        if (nodes[i] == null) {
            throw new IllegalStateException("node-" + i + " was never started");
        }
        return nodes[i].waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? nodes[i].exitValue() : -1;
    }

    /** The operator's account (it advances epochs). */
    Ed25519KeyPair admin() throws IOException {
        return AccountKeys.loadOrCreate(dir.resolve("admin.key"));
    }

    /** SIGKILL of node {@code i}: no shutdown hook, no clean close of RocksDB. */
    void killNode(int i) throws InterruptedException {
        kill(nodes[i]);
    }

    /** Node {@code i}'s RocksDB directory (only to be touched while its process is down). */
    Path nodeDataDir(int i) {
        return dir.resolve("node-" + i).resolve("db");
    }

    /** Deletes node {@code i}'s RocksDB directory (its keys stay): a wiped disk. */
    void wipeNode(int i) throws IOException {
        if (nodes[i] != null && nodes[i].isAlive()) {
            throw new IllegalStateException("node-" + i + " is running");
        }
        try (Stream<Path> files = Files.walk(nodeDataDir(i))) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    int nodeCount() {
        return nodes.length;
    }

    int shardCount() {
        return shardCount;
    }

    URI controlUrl() {
        return controlUrl;
    }

    URI nodeUrl(int i) {
        return URI.create("http://" + HOST + ":" + nodePorts.get(i));
    }

    TuskClient client() {
        return new TuskClient(ClientConfig.of(controlUrl, wallet));
    }

    /** Node {@code i}'s shards in the current committee. */
    List<Integer> shardsOf(int i) {
        try (ControlClient client = new ControlClient(controlUrl)) {
            CommitteeInfo committee = client.committee();
            String address = HOST + ":" + nodePorts.get(i);
            return committee.members().stream().filter(m -> m.networkAddress().equals(address))
                    .map(CommitteeMember::shards).findFirst().orElse(List.of());
        }
    }

    HttpResponse<byte[]> get(int node, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(nodeUrl(node).resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A gauge or counter from node {@code i}'s {@code /metrics} (the sum over its labels), or -1 if it does not answer. */
    double metric(int i, String name) {
        try {
            HttpResponse<byte[]> response = get(i, "/metrics");
            if (response.statusCode() != 200) {
                return -1;
            }
            double sum = 0;
            for (String line : new String(response.body(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Node {@code i}'s persisted event cursor from its health answer, or -1 if it does not answer. */
    long eventCursor(int i) {
        try {
            HttpResponse<byte[]> response = get(i, "/v1/health");
            if (response.statusCode() != 200) {
                return -1;
            }
            JsonNode json = new ObjectMapper().readTree(response.body());
            JsonNode data = json.has("success") ? json.path("success").path("data") : json;
            return data.path("eventProgress").path("persisted").asLong(-1);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    boolean isAlive(int i) {
        return nodes[i] != null && nodes[i].isAlive();
    }

    /** Starts {@code tusk <command> --config <config>} from the packaged CLI, output appended to a log file. */
    private Process launch(String name, String command, Path config, String... jvmArgs) throws IOException {
        Path jar = Path.of(System.getProperty("tusk.cli.jar", "target/tusk-cli.jar")).toAbsolutePath();
        Path lib = Path.of(System.getProperty("tusk.cli.lib", "target/lib")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged CLI at " + jar + " (run in the integration-test phase, after package)");
        }
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve(name + ".log");
        logs.put(name, log);
        List<String> commandLine = new ArrayList<>(List.of(javaBin.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", // short-lived: start fast
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
        commandLine.addAll(List.of(jvmArgs));
        commandLine.addAll(List.of("-cp", jar + File.pathSeparator + lib + File.separator + "*",
                "io.tusk.cli.Main", command, "--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(commandLine)
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
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + process.pid() + " did not die within 10 s of SIGKILL");
        }
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
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Like {@link #awaitNodeReady}, but a node process that exits meanwhile (one armed to crash at a fail point it met
     * while starting) ends the wait instead of failing it.
     */
    void awaitNodeReadyOrExit(int i) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        ObjectMapper json = new ObjectMapper();
        while (System.nanoTime() < deadline && nodes[i].isAlive()) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(nodeUrl(i).resolve("/v1/health"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = json.readTree(response.body());
                JsonNode data = body.has("success") ? body.path("success").path("data") : body;
                if (response.statusCode() == 200 && data.path("epoch").asInt() >= 1) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        if (nodes[i].isAlive()) {
            throw new AssertionError("node-" + i + " was neither ready nor gone within " + START_TIMEOUT);
        }
    }

    /** The node answers its health check and has learnt the committee (epoch 1 or later). */
    void awaitNodeReady(int i) throws Exception {
        awaitJson("node-" + i, nodes[i], nodeUrl(i).resolve("/v1/health"),
                json -> json.path("epoch").asInt() >= 1 || json.path("success").path("data").path("epoch").asInt() >= 1);
    }

    private void awaitJson(String name, Process process, URI uri, Predicate<JsonNode> ready) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready");
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET()
                        .build(), HttpResponse.BodyHandlers.ofString());
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

    /** Prints the last lines of every process's log (for failures). */
    void printLogTails(int lines) {
        logs.forEach((name, log) -> {
            try {
                List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of();
                System.out.println("---- " + name + " (" + log + "), last lines:");
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
            } catch (IOException e) {
                System.out.println("---- " + name + ": cannot read " + log + ": " + e);
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    /** SIGKILLs every process started. */
    @Override
    public void close() {
        killAll();
        http.close();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running
        }
    }
}
