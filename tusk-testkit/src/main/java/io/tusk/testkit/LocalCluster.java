package io.tusk.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tusk.client.AccountKeys;
import io.tusk.client.ClientConfig;
import io.tusk.client.TuskClient;
import io.tusk.control.api.Command;
import io.tusk.control.client.ControlClient;
import io.tusk.control.server.ControlServer;
import io.tusk.control.server.ReplicaConfig;
import io.tusk.control.state.GenesisConfig;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.node.NodeConfig;
import io.tusk.node.StorageNode;
import io.tusk.node.recovery.RecoveryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole Tusk network in one process: a control plane and {@code k} storage nodes on loopback, each with its own
 * folder under one directory, so that starting again on the same directory keeps every byte.
 *
 * <pre>
 * DIR/cluster.json     shards, ports and genesis time, written on first start
 * DIR/admin.key        the operator's account (advances epochs)
 * DIR/wallet.key       a funded user account for the client
 * DIR/client.yaml      client configuration: control URL and wallet
 * DIR/control/         control plane: genesis, Raft log and snapshots (a Raft group of one)
 * DIR/node-i/          storage node i: RocksDB and its BLS key
 * </pre>
 */
public final class LocalCluster implements AutoCloseable {
    /** What is fixed at the first start and reused on every restart. */
    public record Layout(int shardCount, String host, int controlPort, int raftPort, List<Integer> nodePorts,
                         long genesisTimeMillis, long epochDurationMillis) {
        public Layout {
            nodePorts = List.copyOf(nodePorts);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long WALLET_FUNDS = 1_000_000_000_000_000L;
    private static final long NODE_STAKE = 1_000_000;

    private final Path directory;
    private final Layout layout;
    private final Ed25519KeyPair admin;
    private final Ed25519KeyPair wallet;
    private ControlServer control;
    private final List<StorageNode> nodes = new ArrayList<>();
    /** Why node i did not start (it stays down while the others serve), by index. */
    private final Map<Integer, String> nodeFailures = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, Integer> extraPorts = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile RecoveryConfig recoveryConfig = RecoveryConfig.DEFAULT;

    private LocalCluster(Path directory, Layout layout, Ed25519KeyPair admin, Ed25519KeyPair wallet) {
        this.directory = directory;
        this.layout = layout;
        this.admin = admin;
        this.wallet = wallet;
    }

    /**
     * Starts the cluster in {@code directory}: on the first start with {@code nodeCount} nodes and {@code shardCount}
     * shards on the given ports (0 = any free port); afterwards as recorded, and the arguments must agree.
     */
    public static LocalCluster start(Path directory, int nodeCount, int shardCount, int controlPort, int firstNodePort)
            throws IOException {
        return start(directory, nodeCount, shardCount, controlPort, firstNodePort, 0, RecoveryConfig.DEFAULT);
    }

    /**
     * Like {@link #start(Path, int, int, int, int)} with epochs of {@code epochDurationMillis} (0: the devnet default of
     * one hour), advanced by the control plane itself when they have lasted that long.
     */
    public static LocalCluster start(Path directory, int nodeCount, int shardCount, int controlPort, int firstNodePort,
                                     long epochDurationMillis) throws IOException {
        return start(directory, nodeCount, shardCount, controlPort, firstNodePort, epochDurationMillis, RecoveryConfig.DEFAULT);
    }

    /** As {@link #start(Path, int, int, int, int)}, with the nodes' recovery tuning. */
    public static LocalCluster start(Path directory, int nodeCount, int shardCount, int controlPort, int firstNodePort,
                                     RecoveryConfig recoveryConfig) throws IOException {
        return start(directory, nodeCount, shardCount, controlPort, firstNodePort, 0, recoveryConfig);
    }

    /** The general form: epoch duration (0: one hour) and the nodes' recovery tuning. */
    public static LocalCluster start(Path directory, int nodeCount, int shardCount, int controlPort, int firstNodePort,
                                     long epochDurationMillis, RecoveryConfig recoveryConfig) throws IOException {
        Files.createDirectories(directory);
        Path layoutFile = directory.resolve("cluster.json");
        boolean fresh = !Files.exists(layoutFile);
        boolean anyPort = controlPort == 0 || firstNodePort == 0;
        for (int attempt = 1; ; attempt++) {
            Layout layout = layout(layoutFile, nodeCount, shardCount, controlPort, firstNodePort, epochDurationMillis);
            Ed25519KeyPair admin = AccountKeys.loadOrCreate(directory.resolve("admin.key"));
            Ed25519KeyPair wallet = AccountKeys.loadOrCreate(directory.resolve("wallet.key"));
            LocalCluster cluster = new LocalCluster(directory, layout, admin, wallet);
            cluster.recoveryConfig = recoveryConfig;
            try {
                cluster.startAll(fresh);
            } catch (IOException | RuntimeException e) {
                cluster.close();
                // A free port picked for a first start can be taken (by any socket) before the server binds it:
                // then start over with other ports. Nothing has been stored yet, so dropping the state is safe.
                if (fresh && anyPort && attempt < 3 && isBindFailure(e)) {
                    forgetFirstStart(directory, layout);
                    continue;
                }
                throw e;
            }
            cluster.writeClientConfig();
            return cluster;
        }
    }

    private static Layout layout(Path layoutFile, int nodeCount, int shardCount, int controlPort, int firstNodePort,
                                 long epochDurationMillis) throws IOException {
        if (Files.exists(layoutFile)) {
            Layout layout = JSON.readValue(layoutFile.toFile(), Layout.class);
            if (layout.raftPort() == 0) {
                throw new IllegalArgumentException(layoutFile.getParent() + " holds a devnet of an older Tusk, whose"
                        + " control plane kept a journal instead of a Raft log; start a new devnet in another directory");
            }
            if (layout.nodePorts().size() != nodeCount || layout.shardCount() != shardCount) {
                throw new IllegalArgumentException(layoutFile.getParent() + " holds a network of " + layout.nodePorts().size()
                        + " nodes and " + layout.shardCount() + " shards; start it with those, or use another directory");
            }
            return layout;
        }
        if (nodeCount < 1 || shardCount < 4 || shardCount < nodeCount) {
            throw new IllegalArgumentException("need at least 1 node and at least 4 shards, and no more nodes than shards; got "
                    + nodeCount + " nodes and " + shardCount + " shards");
        }
        String host = "127.0.0.1";
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            ports.add(firstNodePort == 0 ? freePort(host) : firstNodePort + i);
        }
        // The control plane's Raft listener: the port after the HTTP API's, or a free one with --control-port 0.
        int httpPort = controlPort == 0 ? freePort(host) : controlPort;
        int raftPort = controlPort == 0 ? freePort(host, httpPort) : controlPort + 1;
        Layout layout = new Layout(shardCount, host, httpPort, raftPort, ports, System.currentTimeMillis(),
                epochDurationMillis);
        JSON.writeValue(layoutFile.toFile(), layout);
        return layout;
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException || String.valueOf(t.getMessage()).contains("Failed to bind")
                    || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** Removes what a failed first start wrote (layout, control plane, node databases); keys stay. */
    private static void forgetFirstStart(Path directory, Layout layout) throws IOException {
        Files.deleteIfExists(directory.resolve("cluster.json"));
        deleteTree(directory.resolve("control"));
        for (int i = 0; i < layout.nodePorts().size(); i++) {
            deleteTree(directory.resolve(nodeName(i)).resolve("db"));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * Starts the control plane and every node. On a restart, a node that cannot start (a store that does not open,
     * say) stays down with its reason logged and kept ({@link #nodeFailure}) while the others serve: one bad disk must
     * not take the whole network down. On the first start every node must start.
     */
    private void startAll(boolean fresh) throws IOException {
        List<GenesisConfig.GenesisNode> genesisNodes = new ArrayList<>();
        for (int i = 0; i < layout.nodePorts().size(); i++) {
            BlsKeyPair key = StorageNode.loadOrCreateKey(nodeKeyFile(i));
            Address owner = admin.publicKey().address();
            byte[] proof = new ProofOfPossessionMessage(0, owner, key.publicKey()).sign(key).signature().bytes();
            genesisNodes.add(new GenesisConfig.GenesisNode(nodeName(i), layout.host() + ":" + layout.nodePorts().get(i),
                    owner.toString(), key.publicKey().bytes(), proof, NODE_STAKE));
        }
        GenesisConfig genesis = GenesisConfig.devnet(admin.publicKey().address().toString(), layout.genesisTimeMillis(), genesisNodes)
                .withShardCount(layout.shardCount())
                .withInitialBalances(Map.of(wallet.publicKey().address().toString(), WALLET_FUNDS));
        if (layout.epochDurationMillis() > 0) {
            genesis = genesis.withEpochDurationMillis(layout.epochDurationMillis());
        }
        control = ControlServer.start(controlConfig(), genesis, admin);
        for (int i = 0; i < layout.nodePorts().size(); i++) {
            try {
                nodes.add(startNode(i));
            } catch (IOException | RuntimeException e) {
                if (fresh || isBindFailure(e)) {
                    throw e;
                }
                nodes.add(null);
                recordFailure(i, e);
            }
        }
        awaitCommittee();
    }

    /**
     * Returns once every running node has learnt the committee from the control plane's events: before that a node
     * answers every blob request "not registered", so a network that says it is running must be past it (a loaded CI
     * machine asked a node about an unknown blob a moment too early and got NOT_REGISTERED instead of not found).
     */
    private void awaitCommittee() throws IOException {
        long deadline = System.nanoTime() + COMMITTEE_TIMEOUT.toNanos();
        for (int i = 0; i < nodes.size(); i++) {
            StorageNode node = nodes.get(i);
            while (node != null && !node.follower().hasCommittee()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(nodeName(i) + " has not learnt the committee from the control plane within "
                            + COMMITTEE_TIMEOUT.toSeconds() + " s");
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while the nodes learn the committee");
                }
            }
        }
    }

    private static final java.time.Duration COMMITTEE_TIMEOUT = java.time.Duration.ofMinutes(2);

    /** The devnet's control plane: a Raft group of one replica in this process. */
    private ReplicaConfig controlConfig() {
        return ReplicaConfig.single(directory.resolve("control"), layout.host(), layout.controlPort(), layout.raftPort());
    }

    private void recordFailure(int i, Exception e) {
        String reason = String.valueOf(e.getMessage());
        nodeFailures.put(i, reason);
        org.slf4j.LoggerFactory.getLogger(LocalCluster.class).error("{} cannot start and stays down while the other "
                + "nodes serve: {}", nodeName(i), reason, e);
    }

    /** Why node {@code i} is down after it failed to start, if it did. */
    public java.util.Optional<String> nodeFailure(int i) {
        return java.util.Optional.ofNullable(nodeFailures.get(i));
    }

    private StorageNode startNode(int i) throws IOException {
        int port = i < layout.nodePorts().size() ? layout.nodePorts().get(i) : extraPorts.get(i);
        NodeConfig config = NodeConfig.of(directory.resolve(nodeName(i)).resolve("db"), nodeKeyFile(i), controlUrl())
                .withPort(port);
        return StorageNode.start(config, recoveryConfig);
    }

    /** Node {@code i}'s RocksDB directory (wipe it while the node is stopped to simulate a lost disk). */
    public Path nodeDataDir(int i) {
        return directory.resolve(nodeName(i)).resolve("db");
    }

    private Path nodeKeyFile(int i) {
        return directory.resolve(nodeName(i)).resolve("bls.key");
    }

    private static String nodeName(int i) {
        return "node-" + (i + 1);
    }

    private void writeClientConfig() throws IOException {
        String yaml = "# Tusk client configuration for the devnet in " + directory.toAbsolutePath() + "\n"
                + "controlUrl: " + controlUrl() + "\n"
                + "accountKeyFile: " + directory.resolve("wallet.key").toAbsolutePath() + "\n";
        Files.writeString(clientConfigFile(), yaml, StandardCharsets.UTF_8);
    }

    public Path directory() {
        return directory;
    }

    public Layout layout() {
        return layout;
    }

    public Path clientConfigFile() {
        return directory.resolve("client.yaml");
    }

    public URI controlUrl() {
        return URI.create("http://" + layout.host() + ":" + layout.controlPort());
    }

    public ControlServer control() {
        return control;
    }

    public Ed25519KeyPair admin() {
        return admin;
    }

    public Ed25519KeyPair wallet() {
        return wallet;
    }

    /** Nodes started, genesis and joined. */
    public int nodeCount() {
        return nodes.size();
    }

    /** Node {@code i} (from 0), or null while it is stopped. */
    public StorageNode node(int i) {
        return nodes.get(i);
    }

    /** A client using the funded wallet. */
    public TuskClient client() {
        return new TuskClient(ClientConfig.of(controlUrl(), wallet));
    }

    /** Stops node {@code i} (its data stays on disk). */
    public void stopNode(int i) {
        StorageNode node = nodes.set(i, null);
        if (node != null) {
            node.close();
        }
    }

    /**
     * Starts a new storage node and registers it (owned by a new funded account) with {@code stake}: it joins the
     * committee at the next epoch change. Returns its index. Joined nodes are not part of the recorded layout: a
     * restart of the whole cluster starts only the genesis nodes.
     */
    public int joinNode(long stake) throws IOException {
        int i = nodes.size();
        Path dir = directory.resolve(nodeName(i));
        BlsKeyPair key = StorageNode.loadOrCreateKey(dir.resolve("bls.key"));
        Ed25519KeyPair owner = AccountKeys.loadOrCreate(dir.resolve("owner.key"));
        int port = freePort(layout.host());
        try (ControlClient client = new ControlClient(controlUrl())) {
            client.submit(new Command.Faucet(stake + 1_000_000), owner);
            int epoch = client.epoch().epoch();
            byte[] proof = new ProofOfPossessionMessage(epoch, owner.publicKey().address(), key.publicKey()).sign(key)
                    .signature().bytes();
            client.submit(new Command.RegisterNode(nodeName(i), layout.host() + ":" + port, key.publicKey().bytes(),
                    proof, stake), owner);
        }
        extraPorts.put(i, port);
        nodes.add(startNode(i));
        return i;
    }

    /** Takes node {@code i} out of the committee from the next epoch change (it keeps running). */
    public void leave(int i) {
        StorageNode node = nodes.get(i);
        try (ControlClient client = new ControlClient(controlUrl())) {
            String nodeId = nodeId(client, node.publicKey());
            Ed25519KeyPair owner = i < layout.nodePorts().size() ? admin : ownerOf(i);
            client.submit(new Command.LeaveCommittee(nodeId), owner);
        }
    }

    private Ed25519KeyPair ownerOf(int i) {
        try {
            return AccountKeys.loadOrCreate(directory.resolve(nodeName(i)).resolve("owner.key"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String nodeId(ControlClient client, io.tusk.core.crypto.BlsPublicKey key) {
        io.tusk.control.api.CommitteeInfo next = client.nextCommitteePreview();
        for (io.tusk.control.api.CommitteeMember m : next.members()) {
            if (java.util.Arrays.equals(m.blsPublicKey(), key.bytes())) {
                return m.nodeId();
            }
        }
        throw new IllegalStateException("node " + key.toBase64() + " is not registered");
    }

    /** Advances the epoch now (the operator's command). */
    public void advanceEpoch() {
        try (ControlClient client = new ControlClient(controlUrl())) {
            client.submit(new Command.AdvanceEpoch(Math.max(System.currentTimeMillis(),
                    client.epoch().startTimeMillis())), admin);
        }
    }

    /**
     * Starts stopped node {@code i} again on its data and port.
     *
     * @throws IOException or a runtime exception if it cannot start; it then stays down with that reason
     *                     ({@link #nodeFailure})
     */
    public void restartNode(int i) throws IOException {
        if (nodes.get(i) == null) {
            try {
                nodes.set(i, startNode(i));
                nodeFailures.remove(i);
            } catch (IOException | RuntimeException e) {
                recordFailure(i, e);
                throw e;
            }
        }
    }

    /** Restarts the control plane on its Raft log and snapshots. */
    public void restartControl() throws IOException {
        stopControl();
        startControl();
    }

    /** Stops the control plane (its log stays on disk); {@link #startControl} brings it back. */
    public void stopControl() throws IOException {
        if (control != null) {
            ControlServer stopping = control;
            control = null;
            stopping.close();
        }
    }

    /** Starts the stopped control plane again on its log and ports. */
    public void startControl() throws IOException {
        if (control == null) {
            control = ControlServer.start(controlConfig(), null, admin);
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = 0; i < nodes.size(); i++) {
            try {
                stopNode(i);
            } catch (RuntimeException e) {
                failure = addSuppressed(failure, e);
            }
        }
        if (control != null) {
            try {
                control.close();
            } catch (RuntimeException e) {
                failure = addSuppressed(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException addSuppressed(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
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
}
