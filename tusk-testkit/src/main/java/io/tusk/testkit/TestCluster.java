package io.tusk.testkit;

import io.tusk.client.ClientConfig;
import io.tusk.client.TuskClient;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.merkle.MerkleNode;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.SliverPairMetadata;
import io.tusk.node.StorageNode;
import io.tusk.node.recovery.RecoveryConfig;
import io.tusk.node.store.NodeStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link LocalCluster} for tests: a fresh temporary directory, a seeded random source (from the system property
 * {@code tusk.test.seed}, else random; printed so a failure can be replayed), a shared client, a dump of the
 * network's state when the test fails, and fault injection with real parts only:
 * <ul>
 *   <li>{@link #stopNode}/{@link #restartNode}/{@link #restartControl}: crash-free stops and restarts on the same data;</li>
 *   <li>{@link #blackHoleNode}: the node is stopped and its port accepts connections but never answers (a hung node);</li>
 *   <li>{@link #corruptSlivers}/{@link #corruptMetadata}: the node turns Byzantine, its RocksDB store rewritten through
 *       its own {@link NodeStore} so that it serves well-formed but wrong slivers or metadata over its real REST API.</li>
 * </ul>
 *
 * <pre>{@code
 * TestCluster.runWithNewCluster(4, 10, cluster -> {
 *     StoreResult stored = cluster.client().store(cluster.randomBlob(1000), StoreOptions.defaults());
 *     ...
 * });
 * }</pre>
 */
public final class TestCluster implements AutoCloseable {
    /** The system property that fixes the random seed, e.g. {@code -Dtusk.test.seed=42}. */
    public static final String SEED_PROPERTY = "tusk.test.seed";

    /** A test body run against a fresh cluster. */
    @FunctionalInterface
    public interface ClusterTest {
        void run(TestCluster cluster) throws Exception;
    }

    private final LocalCluster local;
    private final Path directory;
    private final long seed;
    private final Random random;
    private final TuskClient client;
    private final List<ServerSocket> blackHoles = new CopyOnWriteArrayList<>();
    private final List<Socket> heldConnections = new CopyOnWriteArrayList<>();

    private TestCluster(LocalCluster local, Path directory, long seed) {
        this.local = local;
        this.directory = directory;
        this.seed = seed;
        this.random = new Random(seed);
        this.client = local.client();
    }

    /** The seed from {@code -Dtusk.test.seed}, or a random one; printed either way. */
    public static long seed() {
        String fixed = System.getProperty(SEED_PROPERTY);
        long seed = fixed == null || fixed.isBlank() ? new Random().nextLong() : Long.parseLong(fixed.trim());
        System.out.println("[tusk-test] seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
        return seed;
    }

    /** Starts {@code nodes} storage nodes with {@code shards} shards and a control plane in a new temporary directory. */
    public static TestCluster start(int nodes, int shards) throws IOException {
        return start(nodes, shards, RecoveryConfig.DEFAULT);
    }

    /** As {@link #start(int, int)}, with the nodes' recovery tuning (short delays for fault scenarios). */
    public static TestCluster start(int nodes, int shards, RecoveryConfig recovery) throws IOException {
        long seed = seed();
        Path directory = Files.createTempDirectory("tusk-test-");
        try {
            return new TestCluster(LocalCluster.start(directory, nodes, shards, 0, 0, recovery), directory, seed);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(directory);
            throw e;
        }
    }

    /**
     * Runs {@code test} against a new cluster; if it fails, prints the seed and the network's state before
     * rethrowing; always closes the cluster and deletes its directory.
     */
    public static void runWithNewCluster(int nodes, int shards, ClusterTest test) throws Exception {
        runWithNewCluster(nodes, shards, RecoveryConfig.DEFAULT, test);
    }

    /** As {@link #runWithNewCluster(int, int, ClusterTest)}, with the nodes' recovery tuning. */
    public static void runWithNewCluster(int nodes, int shards, RecoveryConfig recovery, ClusterTest test)
            throws Exception {
        try (TestCluster cluster = start(nodes, shards, recovery)) {
            try {
                test.run(cluster);
            } catch (Throwable failure) {
                System.out.println(cluster.describe("test failed: " + failure));
                throw failure;
            }
        }
    }

    public LocalCluster local() {
        return local;
    }

    public Path directory() {
        return directory;
    }

    /** This cluster's seed. */
    public long testSeed() {
        return seed;
    }

    /** Seeded: the same seed gives the same blobs. */
    public Random random() {
        return random;
    }

    /** The client shared by the test (funded wallet); closed with the cluster. */
    public TuskClient client() {
        return client;
    }

    /** A new client of the same wallet: for checks that must not reuse connections. */
    public TuskClient newClient() {
        return local.client();
    }

    public int nodeCount() {
        return local.nodeCount();
    }

    public int shardCount() {
        return local.layout().shardCount();
    }

    /** The largest blob the network's encoding takes. */
    public long maxBlobSize() {
        return new EncodingConfig(shardCount()).maxBlobSize();
    }

    /** {@code length} seeded random bytes. */
    public byte[] randomBlob(int length) {
        byte[] blob = new byte[length];
        random.nextBytes(blob);
        return blob;
    }

    /** Node {@code i}, or null while stopped. */
    public StorageNode node(int i) {
        return local.node(i);
    }

    // ---- faults: stops and restarts ----

    public void stopNode(int i) {
        local.stopNode(i);
    }

    /** Starts node {@code i} again on its data (closing a black hole on its port first). */
    public void restartNode(int i) throws IOException {
        int port = local.layout().nodePorts().get(i);
        for (ServerSocket hole : blackHoles) {
            if (hole.getLocalPort() == port) {
                closeQuietly(hole);
                blackHoles.remove(hole);
            }
        }
        local.restartNode(i);
    }

    public void restartControl() throws IOException {
        local.restartControl();
    }

    public void stopControl() throws IOException {
        local.stopControl();
    }

    public void startControl() throws IOException {
        local.startControl();
    }

    /**
     * Stops node {@code i} and listens on its port with a socket that accepts connections and never answers: the
     * clients see a node that hangs rather than one that refuses. {@link #restartNode} ends it.
     */
    public void blackHoleNode(int i) throws IOException {
        stopNode(i);
        int port = local.layout().nodePorts().get(i);
        ServerSocket hole = new ServerSocket(port, 128, InetAddress.getByName(local.layout().host()));
        blackHoles.add(hole);
        Thread.ofVirtual().name("black-hole-" + port).start(() -> {
            while (!hole.isClosed()) {
                try {
                    heldConnections.add(hole.accept()); // held open, never read nor answered
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    // ---- faults: Byzantine nodes ----

    /** The committee member of node {@code i} (matched by BLS key), with its shards. */
    public CommitteeMember memberOf(int i) {
        byte[] key = nodeKey(i);
        CommitteeInfo committee = client.committeeInfo();
        return committee.members().stream().filter(m -> Arrays.equals(m.blsPublicKey(), key)).findFirst()
                .orElseThrow(() -> new IllegalStateException("node " + i + " is not in the committee of epoch " + committee.epoch()));
    }

    /** The sliver pairs of {@code blobId} that node {@code i} holds. */
    public List<Integer> pairsHeldBy(int i, BlobId blobId) {
        List<Integer> pairs = new ArrayList<>();
        for (int shard : memberOf(i).shards()) {
            pairs.add(blobId.pairForShard(shard, shardCount()));
        }
        pairs.sort(null);
        return pairs;
    }

    /** How {@link #corruptSlivers} lies. */
    public enum SliverLie {
        /** Well-formed {@code SliverData} (same index and symbol size) whose bytes are flipped: parses, fails its hash. */
        FLIPPED_BYTES,
        /**
         * The node's sliver of the other axis in the same pair, relabelled: real encoded data with the right index
         * (flipped bytes instead where that is the same bytes, as in all-zero pairs of tiny blobs).
         */
        OTHER_AXIS_DATA,
        /** Random bytes that are not {@code SliverData} at all. */
        GARBAGE
    }

    /** {@link #corruptSlivers(int, BlobId, double, SliverLie)} with flipped bytes. */
    public List<Integer> corruptSlivers(int i, BlobId blobId, double fraction) {
        return corruptSlivers(i, blobId, fraction, SliverLie.FLIPPED_BYTES);
    }

    /**
     * Makes running node {@code i} serve wrong slivers of {@code blobId}: for each pair it holds, with probability
     * {@code fraction} (1 = all), both its primary and secondary sliver are rewritten in its RocksDB store as
     * {@code lie} says. Returns the corrupted pair indices.
     */
    public List<Integer> corruptSlivers(int i, BlobId blobId, double fraction, SliverLie lie) {
        NodeStore store = requireRunning(i).store();
        List<Integer> corrupted = new ArrayList<>();
        int n = shardCount();
        try (NodeStore.Batch batch = store.batch()) {
            for (int shard : memberOf(i).shards()) {
                if (random.nextDouble() >= fraction) {
                    continue;
                }
                for (SliverType type : SliverType.values()) {
                    byte[] stored = storedSliver(store, i, shard, type, blobId);
                    Sliver good = Sliver.fromBcs(type, stored);
                    byte[] bad = switch (lie) {
                        case FLIPPED_BYTES -> {
                            byte[] data = good.data();
                            for (int b = 0; b < data.length; b++) {
                                data[b] ^= (byte) (0x5A + b);
                            }
                            yield new Sliver(type, good.index(), good.symbolSize(), data).toBcs();
                        }
                        case OTHER_AXIS_DATA -> {
                            Sliver other = Sliver.fromBcs(type.orthogonal(), storedSliver(store, i, shard, type.orthogonal(), blobId));
                            byte[] data = java.util.Arrays.copyOf(other.data(), good.data().length); // cut or zero-padded
                            yield new Sliver(type, good.index(), good.symbolSize(), data).toBcs();
                        }
                        case GARBAGE -> {
                            byte[] data = new byte[1 + random.nextInt(64)];
                            random.nextBytes(data);
                            yield data;
                        }
                    };
                    if (java.util.Arrays.equals(bad, stored)) { // e.g. the other axis of an all-zero pair is the same bytes
                        byte[] data = good.data();
                        for (int b = 0; b < data.length; b++) {
                            data[b] ^= (byte) (0x5A + b);
                        }
                        bad = new Sliver(type, good.index(), good.symbolSize(), data).toBcs();
                    }
                    batch.putSliver(shard, type, blobId, bad);
                }
                corrupted.add(blobId.pairForShard(shard, n));
            }
            batch.commit();
        }
        return corrupted;
    }

    private static byte[] storedSliver(NodeStore store, int node, int shard, SliverType type, BlobId blobId) {
        return store.sliver(shard, type, blobId).orElseThrow(() -> new IllegalStateException(
                "node " + node + " stores no " + type + " sliver of " + blobId + " in shard " + shard));
    }

    /** How {@link #corruptMetadata} lies. */
    public enum MetadataLie {
        /** One bit flipped in the primary hash of a random pair: right shape, wrong root hash. */
        FLIPPED_HASH,
        /** The unencoded length off by one. */
        WRONG_LENGTH,
        /** The metadata of another blob, served under this blob's ID. */
        OTHER_BLOB
    }

    /**
     * Makes running node {@code i} serve wrong metadata for {@code blobId} by rewriting it in its store.
     * {@code otherBlob} is needed only for {@link MetadataLie#OTHER_BLOB}; it must have metadata on that node.
     */
    public void corruptMetadata(int i, BlobId blobId, MetadataLie lie, BlobId otherBlob) {
        NodeStore store = requireRunning(i).store();
        BlobMetadata good = store.metadata(blobId)
                .orElseThrow(() -> new IllegalStateException("node " + i + " stores no metadata of " + blobId));
        BlobMetadata bad = switch (lie) {
            case FLIPPED_HASH -> {
                List<SliverPairMetadata> hashes = new ArrayList<>(good.hashes());
                int pair = random.nextInt(hashes.size());
                byte[] digest = hashes.get(pair).primaryHash().bytes().clone();
                digest[random.nextInt(digest.length)] ^= 0x01;
                hashes.set(pair, new SliverPairMetadata(MerkleNode.digest(digest), hashes.get(pair).secondaryHash()));
                yield new BlobMetadata(good.encodingType(), good.unencodedLength(), hashes);
            }
            case WRONG_LENGTH -> new BlobMetadata(good.encodingType(), good.unencodedLength() + 1, good.hashes());
            case OTHER_BLOB -> store.metadata(otherBlob)
                    .orElseThrow(() -> new IllegalStateException("node " + i + " stores no metadata of " + otherBlob));
        };
        if (bad.equals(good)) {
            throw new IllegalStateException("the " + lie + " lie leaves the metadata of " + blobId + " unchanged");
        }
        store.batch().putMetadata(blobId, bad).commit();
    }

    /** Every blob with metadata on node {@code i}: to corrupt a whole node. */
    public List<BlobId> blobsStoredBy(int i) {
        return requireRunning(i).store().metadataBlobIds();
    }

    private StorageNode requireRunning(int i) {
        StorageNode node = local.node(i);
        if (node == null) {
            throw new IllegalStateException("node " + i + " is stopped");
        }
        return node;
    }

    private byte[] nodeKey(int i) {
        StorageNode node = local.node(i);
        if (node != null) {
            return node.publicKey().bytes();
        }
        try {
            return StorageNode.loadOrCreateKey(directory.resolve("node-" + (i + 1)).resolve("bls.key")).publicKey().bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- diagnostics ----

    /** The seed, directory, control plane and committee, and each node's state: printed when a test fails. */
    public String describe(String headline) {
        StringBuilder out = new StringBuilder("[tusk-test] ").append(headline).append('\n')
                .append("  seed ").append(seed).append(" (-D").append(SEED_PROPERTY).append('=').append(seed).append(")\n")
                .append("  directory ").append(directory).append('\n');
        try (TuskClient fresh = new TuskClient(new ClientConfig(local.controlUrl(), local.wallet(), Duration.ofSeconds(2), 16,
                Duration.ofSeconds(2)))) {
            out.append("  control ").append(local.controlUrl()).append(' ').append(safe(() -> fresh.control().health())).append('\n');
            if (safe(fresh::committeeInfo) instanceof CommitteeInfo committee) {
                out.append("  epoch ").append(committee.epoch()).append('\n');
                committee.members().forEach(m -> out.append("  member ").append(m.name()).append(" at ")
                        .append(m.networkAddress()).append(" shards ").append(m.shards()).append('\n'));
            }
            Map<String, String> health = fresh.health();
            health.forEach((name, json) -> out.append("  health ").append(name).append(' ').append(json).append('\n'));
        } catch (RuntimeException e) {
            out.append("  (control plane unreachable: ").append(e).append(")\n");
        }
        for (int i = 0; i < nodeCount(); i++) {
            StorageNode node = local.node(i);
            if (node == null) {
                out.append("  node ").append(i).append(": stopped\n");
                continue;
            }
            out.append("  node ").append(i).append(": ").append(node.url()).append(" cursor ")
                    .append(safe(() -> node.store().eventCursor())).append(" blobs with metadata ")
                    .append(safe(() -> node.store().metadataBlobIds().size())).append(" shards ")
                    .append(safe(() -> node.store().storedShards())).append('\n');
        }
        return out.toString();
    }

    private static Object safe(java.util.function.Supplier<?> value) {
        try {
            return value.get();
        } catch (RuntimeException e) {
            return "(" + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            try {
                client.close();
            } finally {
                for (ServerSocket hole : blackHoles) {
                    closeQuietly(hole);
                }
                for (Socket held : heldConnections) {
                    closeQuietly(held);
                }
                local.close();
            }
        } finally {
            deleteRecursively(directory);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // best effort: test cleanup
        }
    }

    private static void deleteRecursively(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.out.println("[tusk-test] could not delete " + root + ": " + e);
        }
    }
}
