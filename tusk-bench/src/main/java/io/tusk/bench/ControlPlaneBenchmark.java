package io.tusk.bench;

import io.tusk.control.api.Command;
import io.tusk.control.api.CommandEnvelope;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.ReplicaPeer;
import io.tusk.control.api.ReplicaStatus;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.client.ControlClient;
import io.tusk.control.server.ControlReplica;
import io.tusk.control.server.ControlServer;
import io.tusk.control.server.RaftSettings;
import io.tusk.control.server.ReplicaConfig;
import io.tusk.control.state.ChainId;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.GenesisConfig;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.EncodingType;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Command throughput and latency of the control plane through Raft: {@code R} replicas in this JVM (real Raft over
 * gRPC on loopback, real RocksDB state, each replica in its own directory), {@code C} clients submitting signed
 * commands one after the other, each from its own account, for {@code S} seconds after a warm-up. Each command is a
 * {@code registerBlob} (a blob ID check, a payment, an object and an event written to RocksDB): it is what a store
 * costs the control plane besides the certificate. With {@code --inline B}, each command is instead an inline space
 * commit of {@code B} bytes (what a small remember costs it; docs/spaces.md): a client fills a space with as many
 * inline versions as it may hold, then creates the next space (not measured).
 *
 * <p>With {@code --certify P}, each client instead submits P pairs of commands, a {@code registerBlob} and the
 * {@code certifyBlob} of that blob (a BLS certificate of the committee: the issue's mix), all signed before the clock
 * starts (a BLS signature costs about as much as its check, and clients are other machines); a warm-up of 50 pairs
 * each runs first, and the figure is the timed pairs over their wall time.
 *
 * <p>Clients submit in-process to the leader's {@link ControlReplica} (precheck, Raft append and commit on a
 * majority's disk, apply, answer), or with {@code --http} through {@link ControlClient} over the HTTP API.
 *
 * <pre>
 * mvn -q -B -pl tusk-bench -am package -DskipTests -DskipITs
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *   -cp "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*" io.tusk.bench.ControlPlaneBenchmark \
 *   --replicas 1 --clients 64 --seconds 20 [--http] [--inline 1024] [--certify 200]
 * </pre>
 */
public final class ControlPlaneBenchmark {
    private ControlPlaneBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int replicas = intArg(args, "--replicas", 1);
        int clients = intArg(args, "--clients", 64);
        int seconds = intArg(args, "--seconds", 20);
        int warmup = intArg(args, "--warmup", 5);
        boolean http = Arrays.asList(args).contains("--http");
        int inlineBytes = intArg(args, "--inline", 0);
        int certifyPairs = intArg(args, "--certify", 0);
        Path dir = Files.createTempDirectory("tusk-control-bench");

        Ed25519KeyPair admin = key(0);
        List<Ed25519KeyPair> accounts = new ArrayList<>();
        java.util.TreeMap<String, Long> balances = new java.util.TreeMap<>();
        for (int c = 0; c < clients; c++) {
            Ed25519KeyPair account = key(1000 + c);
            accounts.add(account);
            balances.put(account.publicKey().address().toString(), 1L << 60);
        }
        BlsKeyPair nodeKey = BlsKeyPair.fromSecret(secret(7));
        Address owner = admin.publicKey().address();
        byte[] pop = new ProofOfPossessionMessage(0, owner, nodeKey.publicKey()).sign(nodeKey).signature().bytes();
        GenesisConfig genesis = GenesisConfig.devnet(owner.toString(), System.currentTimeMillis(),
                        List.of(new GenesisConfig.GenesisNode("node-0", "127.0.0.1:1", owner.toString(),
                                nodeKey.publicKey().bytes(), pop, 1)))
                .withShardCount(100).withInitialBalances(Map.copyOf(balances));
        String chainId = ChainId.of(genesis);

        List<ReplicaPeer> peers = new ArrayList<>();
        List<int[]> ports = new ArrayList<>();
        for (int k = 1; k <= replicas; k++) {
            int httpPort = freePort();
            int raftPort = freePort();
            ports.add(new int[] {httpPort, raftPort});
            peers.add(new ReplicaPeer("control-" + k, "127.0.0.1:" + raftPort, URI.create("http://127.0.0.1:" + httpPort)));
        }
        List<ControlServer> servers = new ArrayList<>();
        try {
            for (int k = 1; k <= replicas; k++) {
                servers.add(ControlServer.start(new ReplicaConfig("control-" + k, dir.resolve("control-" + k),
                        "127.0.0.1", ports.get(k - 1)[0], ports.get(k - 1)[1], peers, false, RaftSettings.DEFAULT),
                        genesis));
            }
            ControlReplica leader = awaitLeader(servers);
            if (certifyPairs > 0) {
                certifyRun(leader, chainId, accounts, nodeKey, certifyPairs, replicas);
                return;
            }
            ControlClient client = http ? new ControlClient(peers.stream().map(ReplicaPeer::url).toList()) : null;

            long[][] latencies = new long[clients][];
            int[] counts = new int[clients];
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicBoolean running = new AtomicBoolean(true);
            CountDownLatch done = new CountDownLatch(clients);
            for (int c = 0; c < clients; c++) {
                int me = c;
                latencies[me] = new long[1 << 20];
                Thread.ofPlatform().daemon(true).start(() -> {
                    Ed25519KeyPair account = accounts.get(me);
                    long nonce = 0;
                    try {
                        while (running.get()) {
                            Command next = inlineBytes > 0 ? inlineCommit(nonce, inlineBytes) : registerBlob(me, nonce);
                            SignedCommand command = sign(chainId, account, nonce, next);
                            long start = System.nanoTime();
                            boolean accepted;
                            if (client != null) {
                                client.submit(command);
                                accepted = true;
                            } else {
                                accepted = leader.submit(command) instanceof CommandResult.Accepted;
                            }
                            long took = System.nanoTime() - start;
                            if (!accepted) {
                                throw new IllegalStateException("command refused at nonce " + nonce);
                            }
                            nonce++;
                            if (measuring.get() && counts[me] < latencies[me].length
                                    && !(next instanceof Command.CreateSpace)) {
                                latencies[me][counts[me]++] = took;
                            }
                        }
                    } catch (RuntimeException e) {
                        System.err.println("client " + me + " failed: " + e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            Thread.sleep(warmup * 1000L);
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            measuring.set(true);
            long start = System.nanoTime();
            long cpuStart = os.getProcessCpuTime();
            Thread.sleep(seconds * 1000L);
            measuring.set(false);
            long elapsed = System.nanoTime() - start;
            long cpu = os.getProcessCpuTime() - cpuStart;
            running.set(false);
            done.await();
            if (client != null) {
                client.close();
            }

            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int at = 0;
            for (int c = 0; c < clients; c++) {
                System.arraycopy(latencies[c], 0, all, at, counts[c]);
                at += counts[c];
            }
            Arrays.sort(all);
            System.out.printf("replicas=%d clients=%d via=%s command=%s: %d commands in %.1f s = %.0f commands/s, latency"
                            + " p50 %.2f ms, p99 %.2f ms%n", replicas, clients, http ? "HTTP" : "in-process",
                    inlineBytes > 0 ? "inline commitSpace of " + inlineBytes + " B" : "registerBlob", total, elapsed / 1e9,
                    total / (elapsed / 1e9), percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6);
            // CPU time is what a busy shared machine distorts least: the bound on idle cores follows from it.
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf("process CPU %.0f us per command (all %d replicas): at most %.0f commands/s on %d idle"
                    + " cores; load average now %.1f%n", cpu / 1e3 / Math.max(1, total), replicas,
                    cores * 1e9 / Math.max(1, cpu / (double) Math.max(1, total)), cores, os.getSystemLoadAverage());
        } finally {
            for (ControlServer server : servers) {
                server.close();
            }
            deleteTree(dir);
        }
    }

    /**
     * The register + certify mix: every client's commands signed first (in parallel), then a warm-up of
     * {@value #CERTIFY_WARMUP_PAIRS} pairs per client, then the timed pairs, all clients at once.
     */
    private static void certifyRun(ControlReplica leader, String chainId, List<Ed25519KeyPair> accounts,
                                   BlsKeyPair nodeKey, int pairs, int replicas) throws Exception {
        int clients = accounts.size();
        long signStart = System.nanoTime();
        List<List<SignedCommand>> commands = java.util.stream.IntStream.range(0, clients).parallel()
                .mapToObj(c -> pairCommands(chainId, accounts.get(c), nodeKey, c, CERTIFY_WARMUP_PAIRS + pairs))
                .toList();
        System.out.printf("signed %,d commands in %.1f s (untimed)%n", 2L * clients * (CERTIFY_WARMUP_PAIRS + pairs),
                (System.nanoTime() - signStart) / 1e9);
        int warm = 2 * CERTIFY_WARMUP_PAIRS;
        java.util.concurrent.CyclicBarrier warmedUp = new java.util.concurrent.CyclicBarrier(clients + 1);
        CountDownLatch done = new CountDownLatch(clients);
        long[][] latencies = new long[clients][2 * pairs];
        AtomicBoolean failed = new AtomicBoolean();
        for (int c = 0; c < clients; c++) {
            int me = c;
            Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    List<SignedCommand> mine = commands.get(me);
                    for (int i = 0; i < mine.size(); i++) {
                        if (i == warm) {
                            warmedUp.await();
                        }
                        long start = System.nanoTime();
                        CommandResult result = leader.submit(mine.get(i));
                        if (!(result instanceof CommandResult.Accepted)) {
                            throw new IllegalStateException("command " + i + " of client " + me + " refused: " + result);
                        }
                        if (i >= warm) {
                            latencies[me][i - warm] = System.nanoTime() - start;
                        }
                    }
                } catch (Exception e) {
                    failed.set(true);
                    System.err.println("client " + me + " failed: " + e);
                } finally {
                    done.countDown();
                }
            });
        }
        warmedUp.await(5, java.util.concurrent.TimeUnit.MINUTES);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        long start = System.nanoTime();
        long cpuStart = os.getProcessCpuTime();
        done.await();
        long elapsed = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpuStart;
        if (failed.get()) {
            throw new IllegalStateException("a client failed: no figure");
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("replicas=%d clients=%d command=registerBlob + certifyBlob (pairs): %d commands in %.1f s = %.0f"
                        + " commands/s, latency p50 %.2f ms, p99 %.2f ms%n", replicas, clients, all.length,
                elapsed / 1e9, all.length / (elapsed / 1e9), percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6);
        System.out.printf("process CPU %.0f us per command (all %d replicas); load average now %.1f%n",
                cpu / 1e3 / all.length, replicas, os.getSystemLoadAverage());
    }

    private static final int CERTIFY_WARMUP_PAIRS = 50;

    /** A client's {@code pairs} pairs: the registration of a blob at nonce 2i, its certification at 2i + 1. */
    private static List<SignedCommand> pairCommands(String chainId, Ed25519KeyPair account, BlsKeyPair nodeKey,
                                                    int client, int pairs) {
        List<SignedCommand> out = new ArrayList<>(2 * pairs);
        for (long i = 0; i < pairs; i++) {
            long nonce = 2 * i;
            byte[] root = new byte[32];
            java.nio.ByteBuffer.wrap(root).putInt(client).putLong(nonce).put((byte) 0x42);
            BlobId blobId = BlobId.derive(EncodingType.RS2, 1000, root);
            out.add(sign(chainId, account, nonce, new Command.RegisterBlob(blobId.toString(), root, 1000, "RS2", 5,
                    false)));
            byte[] message = new io.tusk.core.messages.StorageConfirmation(1, blobId,
                    io.tusk.core.messages.BlobPersistence.PERMANENT).toBcs();
            io.tusk.control.api.Certificate certificate = new io.tusk.control.api.Certificate(List.of(0), message,
                    nodeKey.sign(message).bytes());
            out.add(sign(chainId, account, nonce + 1, new Command.CertifyBlob(
                    ControlStateBenchmark.objectId(account, nonce), certificate)));
        }
        return out;
    }

    private static ControlReplica awaitLeader(List<ControlServer> servers) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            for (ControlServer s : servers) {
                ReplicaStatus status = s.replica().status();
                if (ReplicaStatus.LEADER.equals(status.role()) && status.serving()) {
                    return s.replica();
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no leader within 60 s");
    }

    private static Command.RegisterBlob registerBlob(int client, long nonce) {
        byte[] root = new byte[32];
        java.nio.ByteBuffer.wrap(root).putInt(client).putLong(nonce);
        long length = 1000 + nonce;
        return new Command.RegisterBlob(BlobId.derive(EncodingType.RS2, length, root).toString(), root, length, "RS2",
                1, true);
    }

    /**
     * The client's command at {@code nonce}: spaces "s0", "s1", ... each created, then filled with as many inline
     * versions as a space may hold, by count and bytes (no fold: that needs a certified manifest blob).
     */
    private static Command inlineCommit(long nonce, int bytes) {
        int perSpace = 1 + Math.min(Command.CommitSpace.MAX_INLINE_VERSIONS,
                Command.CommitSpace.MAX_INLINE_TOTAL_BYTES / bytes);
        String space = "s" + nonce / perSpace;
        long position = nonce % perSpace;
        if (position == 0) {
            return new Command.CreateSpace(space, false);
        }
        byte[] inline = new byte[bytes];
        if (bytes >= Long.BYTES) {
            java.nio.ByteBuffer.wrap(inline).putLong(nonce); // distinct versions
        }
        return Command.CommitSpace.inline(space, position - 1, nonce, java.util.Base64.getEncoder()
                .encodeToString(inline), null);
    }

    private static SignedCommand sign(String chainId, Ed25519KeyPair key, long nonce, Command command) {
        try {
            byte[] payload = ControlJson.mapper().writeValueAsBytes(new CommandEnvelope(chainId,
                    key.publicKey().address().toString(), nonce, command));
            return new SignedCommand(payload, key.publicKey().bytes(), key.sign(payload));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }

    private static Ed25519KeyPair key(int seed) {
        return Ed25519KeyPair.fromSecret(secret(seed));
    }

    private static byte[] secret(int seed) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 9);
        secret[0] = (byte) seed;
        secret[1] = (byte) (seed >>> 8);
        secret[31] = 0x11;
        return secret;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
