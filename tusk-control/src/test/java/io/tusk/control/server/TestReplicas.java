package io.tusk.control.server;

import io.tusk.control.api.ReplicaPeer;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.GenesisConfig;
import io.tusk.control.state.TestNetwork;
import io.tusk.core.crypto.Ed25519KeyPair;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Control-plane replicas of one test network in this JVM, each with its own directory and free loopback ports, real
 * Raft over gRPC and real HTTP. Election timeouts are the default (1-2 s): shorter ones made leaders flap on a busy
 * two-core machine, with three replicas and the test sharing it.
 */
public final class TestReplicas implements AutoCloseable {
    static final RaftSettings SETTINGS = RaftSettings.DEFAULT.withRestartInterval(Duration.ofMillis(500));
    static final String HOST = "127.0.0.1";

    final Path dir;
    final GenesisConfig genesis;
    public final List<ReplicaPeer> peers = new ArrayList<>();
    private final List<int[]> ports = new ArrayList<>();
    private final ControlServer[] servers;
    private final RaftSettings settings;
    private final io.tusk.control.state.StateOptions state;
    /** Settings of single replicas, instead of {@link #settings}. */
    private final java.util.Map<Integer, RaftSettings> settingsOf = new java.util.HashMap<>();
    /** The replicas the group is created with; later ones join. */
    private final int initialCount;

    /** A group of {@code count} replicas (not started). */
    TestReplicas(Path dir, GenesisConfig genesis, int count, RaftSettings settings) throws IOException {
        this(dir, genesis, count, settings, io.tusk.control.state.StateOptions.defaults());
    }

    TestReplicas(Path dir, GenesisConfig genesis, int count, RaftSettings settings,
                 io.tusk.control.state.StateOptions state) throws IOException {
        this.dir = dir;
        this.genesis = genesis;
        this.settings = settings;
        this.state = state;
        this.servers = new ControlServer[count + 2]; // room for replicas added later
        this.initialCount = count;
        for (int i = 0; i < count; i++) {
            peers.add(newPeer(i));
        }
    }

    private ReplicaPeer newPeer(int i) throws IOException {
        int http = freePort();
        int raft = freePort();
        ports.add(new int[] {http, raft});
        return new ReplicaPeer("control-" + (i + 1), HOST + ":" + raft, URI.create("http://" + HOST + ":" + http));
    }

    /** One replica (a devnet's control plane), started and serving. */
    public static TestReplicas single(Path dir, GenesisConfig genesis) throws Exception {
        return started(dir, genesis, 1);
    }

    public static TestReplicas started(Path dir, GenesisConfig genesis, int count) throws Exception {
        TestReplicas replicas = new TestReplicas(dir, genesis, count, SETTINGS);
        replicas.startAll();
        return replicas;
    }

    void startAll() throws Exception {
        for (int i = 0; i < peers.size(); i++) {
            start(i);
        }
        awaitLeader();
    }

    ReplicaConfig config(int i, boolean join) {
        int[] p = ports.get(i);
        List<ReplicaPeer> group = join ? List.of(peers.get(i)) : peers.subList(0, initialCount);
        return new ReplicaConfig(peers.get(i).id(), dir.resolve(peers.get(i).id()), HOST, p[0], p[1], group, join,
                settingsOf.getOrDefault(i, settings), state);
    }

    /** Replica {@code i} starts with {@code replicaSettings} instead of the group's. */
    TestReplicas settings(int i, RaftSettings replicaSettings) {
        settingsOf.put(i, replicaSettings);
        return this;
    }

    public void start(int i) throws IOException {
        servers[i] = ControlServer.start(config(i, i >= initialCount), genesis);
    }

    /** Prepares replica {@code i = size()} to join (started with {@code join}); returns its peer entry. */
    ReplicaPeer startJoining() throws IOException {
        int i = peers.size();
        peers.add(newPeer(i));
        servers[i] = ControlServer.start(config(i, true), genesis);
        return peers.get(i);
    }

    public void stop(int i) {
        if (servers[i] != null) {
            servers[i].close();
            servers[i] = null;
        }
    }

    public ControlServer server(int i) {
        return servers[i];
    }

    public RaftReplica replica(int i) {
        return servers[i].replica();
    }

    public URI url(int i) {
        return peers.get(i).url();
    }

    public int size() {
        return peers.size();
    }

    /** The index of the running leader, waiting up to 30 s for one every running replica agrees on. */
    public int awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> leader = leader();
            if (leader.isPresent() && replica(leader.get()).health().status().equals("serving")) {
                return leader.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader within 30 s: " + describe());
    }

    Optional<Integer> leader() {
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] != null && "leader".equals(servers[i].replica().status().role())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    public int follower() throws InterruptedException {
        int leader = awaitLeader();
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] != null && i != leader) {
                return i;
            }
        }
        throw new AssertionError("no follower");
    }

    /** Submits through the leader, retrying while leadership moves. */
    public CommandResult submit(SignedCommand command) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return replica(awaitLeader()).submit(command);
            } catch (NotLeaderException | ReplicaUnavailableException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw new AssertionError("could not submit within 30 s", last);
    }

    /** Submits at the account's next nonce through the leader. */
    public CommandResult submit(Ed25519KeyPair key, io.tusk.control.api.Command command) throws InterruptedException {
        int leader = awaitLeader();
        long nonce = replica(leader).query(ControlReplica.Read.LINEARIZABLE,
                s -> s.account(TestNetwork.address(key)).map(a -> a.nextNonce()).orElse(0L));
        return submit(TestNetwork.sign(io.tusk.control.state.ChainId.of(genesis), key, nonce, command));
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    String describe() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] != null) {
                out.append("\n  ").append(servers[i].replica().status());
            }
        }
        return out.toString();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < servers.length; i++) {
            stop(i);
        }
    }
}
