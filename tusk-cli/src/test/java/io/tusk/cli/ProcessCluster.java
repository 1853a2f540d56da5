package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.client.AccountKeys;
import io.tusk.client.ClientConfig;
import io.tusk.client.TuskClient;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.ReplicaStatus;
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
import java.net.InetSocketAddress;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A control plane (one replica, or a Raft group of several) and storage nodes as separate OS processes of the packaged
 * CLI ({@code target/tusk-cli.jar} and {@code target/lib}: failsafe runs it after {@code package}), configured by files
 * written into one directory, on loopback. Replica K binds 127.0.0.K and node i 127.0.0.(i mod R + 1), so distinct
 * loopback addresses stand in for hosts. Processes are SIGKILLed ({@link Process#destroyForcibly}) by the kill methods
 * and all of them by {@link #close}, which a JVM shutdown hook also runs.
 *
 * <p>With {@code proxied} links, every Raft connection from replica K to replica J goes through its own
 * {@link FaultyProxy}: the replicas name each other {@code replica-J} in their group, and each replica's JVM resolves
 * those names from its own hosts file ({@code -Djdk.net.hosts.file}) to the address of the proxy of that link
 * (127.0.(10+K).J, same port). So one replica can be cut off from the others in both directions ({@link #cut}) while
 * the others still talk.
 */
final class ProcessCluster implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300); // generous: a JVM start took 80 s at load 30

    private final Path dir;
    private final int shardCount;
    private final int replicaCount;
    private final boolean proxied;
    private final Ed25519KeyPair wallet;
    private final List<URI> controlUrls = new ArrayList<>();
    private final List<Integer> raftPorts = new ArrayList<>();
    private final List<String> nodeHosts = new ArrayList<>();
    private final List<Integer> nodePorts = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Path> logs = new LinkedHashMap<>();
    private final Map<String, String> failPoints = new HashMap<>();
    /** Link proxies by (from, to) replica index, when proxied. */
    private final Map<List<Integer>, FaultyProxy> links = new HashMap<>();
    private final Process[] nodes;
    private final Process[] replicas;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread killer = new Thread(this::killAll, "process-cluster-killer");

    /** One control replica and {@code stakes.length} nodes (node i with stake {@code stakes[i]}). */
    ProcessCluster(Path dir, int shardCount, long... stakes) throws IOException {
        this(dir, 1, false, shardCount, stakes);
    }

    /**
     * {@code replicaCount} control replicas (a Raft group; with {@code proxied} links through fault-injecting proxies)
     * and {@code stakes.length} nodes.
     */
    ProcessCluster(Path dir, int replicaCount, boolean proxied, int shardCount, long... stakes) throws IOException {
        this.dir = dir;
        this.shardCount = shardCount;
        this.replicaCount = replicaCount;
        this.proxied = proxied;
        this.nodes = new Process[stakes.length];
        this.replicas = new Process[replicaCount];
        Ed25519KeyPair admin = AccountKeys.loadOrCreate(dir.resolve("admin.key"));
        this.wallet = AccountKeys.loadOrCreate(dir.resolve("wallet.key"));
        List<int[]> replicaPorts = new ArrayList<>();
        for (int k = 1; k <= replicaCount; k++) {
            String host = replicaHost(k);
            int httpPort = freePort(host);
            int raftPort = freePort(host, httpPort);
            replicaPorts.add(new int[] {httpPort, raftPort});
            raftPorts.add(raftPort);
            controlUrls.add(URI.create("http://" + host + ":" + httpPort));
        }
        String controlUrlList = "[" + String.join(", ", controlUrls.stream().map(URI::toString).toList()) + "]";
        List<GenesisConfig.GenesisNode> genesisNodes = new ArrayList<>();
        for (int i = 0; i < stakes.length; i++) {
            String host = replicaHost(i % replicaCount + 1);
            int port = freePort(host);
            nodeHosts.add(host);
            nodePorts.add(port);
            Path nodeDir = Files.createDirectories(dir.resolve("node-" + i));
            BlsKeyPair key = StorageNode.loadOrCreateKey(nodeDir.resolve("bls.key"));
            Address owner = admin.publicKey().address();
            byte[] proof = new ProofOfPossessionMessage(0, owner, key.publicKey()).sign(key).signature().bytes();
            genesisNodes.add(new GenesisConfig.GenesisNode("node-" + i, host + ":" + port, owner.toString(),
                    key.publicKey().bytes(), proof, stakes[i]));
            Files.writeString(nodeDir.resolve("node.yaml"), """
                    dataDir: db
                    blsKeyFile: bls.key
                    controlUrl: %s
                    bindHost: %s
                    port: %d
                    """.formatted(controlUrlList, host, port), StandardCharsets.UTF_8);
        }
        GenesisConfig genesis = GenesisConfig.devnet(admin.publicKey().address().toString(), System.currentTimeMillis(),
                        genesisNodes)
                .withShardCount(shardCount)
                .withInitialBalances(Map.of(wallet.publicKey().address().toString(), 1_000_000_000_000_000L));
        TuskJson.mapper().writeValue(dir.resolve("genesis.json").toFile(), genesis);
        StringBuilder members = new StringBuilder();
        for (int k = 1; k <= replicaCount; k++) {
            String raftHost = proxied ? "replica-" + k : replicaHost(k);
            members.append("  - {id: control-").append(k).append(", raftAddress: ").append(raftHost).append(':')
                    .append(raftPorts.get(k - 1)).append(", url: ").append(controlUrls.get(k - 1)).append("}\n");
        }
        for (int k = 1; k <= replicaCount; k++) {
            Files.writeString(dir.resolve(controlName(k) + ".yaml"), """
                    dataDir: %s
                    bindHost: %s
                    port: %d
                    raftPort: %d
                    replicaId: control-%d
                    replicas:
                    %sgenesisFile: genesis.json
                    """.formatted(controlName(k), replicaHost(k), replicaPorts.get(k - 1)[0],
                    replicaPorts.get(k - 1)[1], k, members), StandardCharsets.UTF_8);
            if (proxied) {
                StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
                for (int j = 1; j <= replicaCount; j++) {
                    hosts.append(j == k ? replicaHost(k) : linkAddress(k, j)).append(" replica-").append(j).append('\n');
                }
                Files.writeString(dir.resolve("hosts-" + k), hosts, StandardCharsets.UTF_8);
            }
        }
        if (proxied) {
            for (int k = 1; k <= replicaCount; k++) {
                for (int j = 1; j <= replicaCount; j++) {
                    if (j != k) {
                        links.put(List.of(k, j), new FaultyProxy(
                                new InetSocketAddress(linkAddress(k, j), raftPorts.get(j - 1)),
                                new InetSocketAddress(replicaHost(j), raftPorts.get(j - 1))).start());
                    }
                }
            }
        }
        Runtime.getRuntime().addShutdownHook(killer); // even if the test JVM is stopped
    }

    private static String replicaHost(int k) {
        return "127.0.0." + k;
    }

    /** The address replica {@code from} reaches replica {@code to} at: the proxy of that link. */
    private static String linkAddress(int from, int to) {
        return "127.0." + (10 + from) + "." + to;
    }

    private static String controlName(int k) {
        return "control-" + k;
    }

    /** Arms fail points in a process started later ({@code control-K}, {@code node-I}): {@code -Dtusk.failpoints}. */
    void failPoints(String process, String spec) {
        if (spec == null) {
            failPoints.remove(process);
        } else {
            failPoints.put(process, spec);
        }
    }

    /** Starts every replica and node, and waits until all are ready. */
    void startAll() throws Exception {
        startControl();
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = launch("node-" + i, "node", dir.resolve("node-" + i).resolve("node.yaml"));
        }
        for (int i = 0; i < nodes.length; i++) {
            awaitNodeReady(i);
        }
    }

    /** Starts every replica of the control plane and waits until the group has a leader. */
    void startControl() throws Exception {
        for (int k = 1; k <= replicaCount; k++) {
            replicas[k - 1] = launchReplica(k);
        }
        awaitLeader();
    }

    /** SIGKILL of every control replica. */
    void killControl() throws InterruptedException {
        for (int k = 1; k <= replicaCount; k++) {
            killReplica(k);
        }
    }

    /** Starts replica {@code k} (from 1) on its data. */
    void startReplica(int k) throws Exception {
        replicas[k - 1] = launchReplica(k);
        awaitJson(controlName(k), replicas[k - 1], controlUrls.get(k - 1).resolve("/v1/health"), json -> true);
    }

    private Process launchReplica(int k) throws IOException {
        List<String> jvm = new ArrayList<>();
        if (proxied) {
            jvm.add("-Djdk.net.hosts.file=" + dir.resolve("hosts-" + k).toAbsolutePath());
        }
        return launch(controlName(k), "control", dir.resolve(controlName(k) + ".yaml"), jvm);
    }

    /** SIGKILL of replica {@code k}: no shutdown hook, no clean close of its log or state. */
    void killReplica(int k) throws InterruptedException {
        kill(replicas[k - 1]);
    }

    /** SIGSTOP of replica {@code k}: the process stays, frozen, its sockets open. */
    void suspendReplica(int k) throws IOException, InterruptedException {
        signal("STOP", replicas[k - 1]);
    }

    /** SIGCONT of a replica stopped by {@link #suspendReplica}. */
    void resumeReplica(int k) throws IOException, InterruptedException {
        signal("CONT", replicas[k - 1]);
    }

    private static void signal(String name, Process process) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    boolean isReplicaAlive(int k) {
        return replicas[k - 1] != null && replicas[k - 1].isAlive();
    }

    /** Cuts replica {@code k} off from the others, both ways, the way {@code mode} says; PASS heals. */
    void cut(int k, FaultyProxy.Mode mode, long slowMillis) throws IOException {
        if (!proxied) {
            throw new IllegalStateException("the cluster was made without link proxies");
        }
        for (int j = 1; j <= replicaCount; j++) {
            if (j != k) {
                links.get(List.of(k, j)).set(mode, slowMillis);
                links.get(List.of(j, k)).set(mode, slowMillis);
            }
        }
    }

    /** What replica {@code k} says of itself, or null if it does not answer within 2 s. */
    ReplicaStatus replicaStatus(int k) {
        try {
            return ControlClient.replicaStatus(controlUrls.get(k - 1), Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The replica (from 1) that says it leads and serves, waiting up to {@code START_TIMEOUT} for one. */
    int awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (int k = 1; k <= replicaCount; k++) {
                Process p = replicas[k - 1];
                if (p != null && !p.isAlive() && !killedByUs.contains(p)) {
                    throw new AssertionError(controlName(k) + " exited by itself with " + p.exitValue());
                }
                if (p != null && p.isAlive()) {
                    ReplicaStatus s = replicaStatus(k);
                    if (s != null && ReplicaStatus.LEADER.equals(s.role()) && s.serving()) {
                        return k;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no control-plane leader within " + START_TIMEOUT);
    }

    /** Processes this cluster killed on purpose (a process that exits otherwise is a failure). */
    private final java.util.Set<Process> killedByUs = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
        nodes[i] = launch("node-" + i, "node", dir.resolve("node-" + i).resolve("node.yaml"), List.of(jvmArgs));
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

    /** SIGKILL of every process at once (replicas and nodes), as a power cut would. */
    void killEverything() throws InterruptedException {
        List<Process> all = new ArrayList<>();
        for (Process p : replicas) {
            if (p != null) {
                all.add(p);
            }
        }
        for (Process p : nodes) {
            if (p != null) {
                all.add(p);
            }
        }
        for (Process p : all) {
            killedByUs.add(p);
            p.destroyForcibly();
        }
        for (Process p : all) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("process " + p.pid() + " did not die within 10 s of SIGKILL");
            }
        }
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

    int replicaCount() {
        return replicaCount;
    }

    int shardCount() {
        return shardCount;
    }

    /** The first replica's URL (the only one of a single-replica cluster). */
    URI controlUrl() {
        return controlUrls.getFirst();
    }

    List<URI> controlUrls() {
        return List.copyOf(controlUrls);
    }

    URI controlUrl(int k) {
        return controlUrls.get(k - 1);
    }

    URI nodeUrl(int i) {
        return URI.create("http://" + nodeHosts.get(i) + ":" + nodePorts.get(i));
    }

    /** A client of the funded wallet that knows every replica. */
    TuskClient client() {
        return new TuskClient(ClientConfig.of(controlUrls, wallet));
    }

    Ed25519KeyPair wallet() {
        return wallet;
    }

    /** Node {@code i}'s shards in the current committee. */
    List<Integer> shardsOf(int i) {
        try (ControlClient client = new ControlClient(controlUrls)) {
            CommitteeInfo committee = client.committee();
            String address = nodeHosts.get(i) + ":" + nodePorts.get(i);
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

    private Process launch(String name, String command, Path config) throws IOException {
        return launch(name, command, config, List.of());
    }

    /** Starts {@code tusk <command> --config <config>} from the packaged CLI, output appended to a log file. */
    private Process launch(String name, String command, Path config, List<String> jvmOptions) throws IOException {
        Path jar = Path.of(System.getProperty("tusk.cli.jar", "target/tusk-cli.jar")).toAbsolutePath();
        Path lib = Path.of(System.getProperty("tusk.cli.lib", "target/lib")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged CLI at " + jar + " (run in the integration-test phase, after package)");
        }
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve(name + ".log");
        logs.put(name, log);
        List<String> args = new ArrayList<>(List.of(javaBin.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", // short-lived: start fast
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"));
        args.addAll(jvmOptions);
        if (failPoints.containsKey(name)) {
            args.add("-Dtusk.failpoints=" + failPoints.get(name));
        }
        args.addAll(List.of("-cp", jar + File.pathSeparator + lib + File.separator + "*",
                "io.tusk.cli.Main", command, "--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(args)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = builder.start();
        synchronized (processes) {
            processes.add(process);
        }
        return process;
    }

    private void kill(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        killedByUs.add(process);
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
            killedByUs.add(process);
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

    private static int freePort(String host, int... except) throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                int port = socket.getLocalPort();
                if (java.util.Arrays.stream(except).noneMatch(p -> p == port)) {
                    return port;
                }
            }
        }
    }

    /** SIGKILLs every process started, and stops the link proxies. */
    @Override
    public void close() {
        killAll();
        for (FaultyProxy proxy : links.values()) {
            try {
                proxy.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        http.close();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running
        }
    }
}
