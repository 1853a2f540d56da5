package io.tusk.testkit;

import io.tusk.client.StoreOptions;
import io.tusk.client.TuskClient;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.StorageNode;
import io.tusk.node.recovery.RecoveryConfig;
import io.tusk.node.store.BlobInfo;
import io.tusk.node.store.StoreException;
import io.tusk.testkit.NodeChecks.OwnedSliver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16.4: bits flipped in a stopped node's RocksDB files, as a failing disk would. Slivers and metadata can be
 * rebuilt from the other nodes, so a corrupt one is treated as missing (counted, deleted, rebuilt by recovery); a
 * sliver family with a corrupt SST file is dropped and refilled; a corrupt file the node cannot rebuild keeps that node
 * down with the file named while the other nodes serve. Every check of the damaged node goes through its REST API:
 * each sliver it owns must come back byte-identical to the honest encoding. 4 nodes, 16 shards (each node 4; f = 5).
 */
class CorruptStoreTest {
    private static final int NODES = 4;
    private static final int SHARDS = 16;
    private static final RecoveryConfig FAST = RecoveryConfig.DEFAULT.withDelay(Duration.ofMillis(200))
            .withMaxBackoff(Duration.ofSeconds(1));
    /** The bound: every corrupt sliver is served again within two minutes of the restart. */
    private static final Duration HEAL = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    void shouldRebuildSliversWhoseBlobFileRecordsFailTheirChecksum() throws Exception {
        TestCluster.runWithNewCluster(NODES, SHARDS, FAST, cluster -> {
            Random random = cluster.random();
            // 60-250 kB: every sliver is at least 4 KiB, so RocksDB keeps it in a blob file
            Map<BlobId, byte[]> blobs = store(cluster.client(), random, 6, 60_000, 250_000);
            int victim = random.nextInt(NODES);
            List<OwnedSliver> owned = settledOwnedSlivers(cluster.local(), victim, blobs);
            Path db = cluster.local().nodeDataDir(victim);
            List<OwnedSliver> damaged = new ArrayList<>();
            for (OwnedSliver s : owned) {
                if (damaged.isEmpty() || random.nextInt(3) == 0) {
                    assertThat(DiskFaults.flipBitInside(db, ".blob", s.bcs(), random.nextInt(s.bcs().length),
                            random.nextInt(8))).as("blob files holding the %s", s).isNotEmpty();
                    damaged.add(s);
                }
            }
            System.out.printf("[corrupt-store] node %d: flipped a bit in %d of its %d slivers%n", victim, damaged.size(),
                    owned.size());

            long restart = System.nanoTime();
            cluster.restartNode(victim);
            StorageNode node = cluster.node(victim);
            for (Map.Entry<BlobId, byte[]> e : blobs.entrySet()) { // never wrong bytes, even while it repairs
                Blobs.assertReads(cluster.client(), e.getKey(), e.getValue());
            }
            assertThat(Blobs.eventually(HEAL, () -> NodeChecks.notServed(node.url(), owned).isEmpty()))
                    .as("node %d serves every sliver it owns within %s; not yet: %s", victim, HEAL,
                            NodeChecks.notServed(node.url(), owned)).isTrue();
            System.out.printf("[corrupt-store] every sliver served again %d ms after the restart%n",
                    Blobs.millisSince(restart));
            assertThat(NodeChecks.metric(node.url(), "tusk_node_store_corrupt_slivers")).isEqualTo(damaged.size());
            assertThat(node.recovery().metrics().snapshot().sliversRecovered()).isGreaterThanOrEqualTo(damaged.size());
            assertThat(NodeChecks.health(node.url())).contains("\"writable\":true");
        });
    }

    @Test
    void shouldRecreateASliverFamilyWithACorruptSstBlockAndKeepTakingWrites() throws Exception {
        TestCluster.runWithNewCluster(NODES, SHARDS, FAST, cluster -> {
            Random random = cluster.random();
            // 1-4 kB: slivers under 4 KiB stay in the SST files' data blocks
            Map<BlobId, byte[]> blobs = store(cluster.client(), random, 8, 1_000, 4_000);
            int victim = random.nextInt(NODES);
            List<OwnedSliver> owned = settledOwnedSlivers(cluster.local(), victim, blobs);
            OwnedSliver target = owned.get(random.nextInt(owned.size()));
            Path db = cluster.local().nodeDataDir(victim);
            assertThat(DiskFaults.flipBitInside(db, ".sst", target.bcs(), random.nextInt(target.bcs().length),
                    random.nextInt(8))).as("SST files holding the %s", target).hasSize(1);

            cluster.restartNode(victim);
            StorageNode node = cluster.node(victim);
            assertHealed(cluster, victim, node, blobs, owned);
            assertThat(NodeChecks.metric(node.url(), "tusk_node_store_families_recreated")).isEqualTo(1);
            assertTakesWritesAndCompacts(cluster, victim, node);
        });
    }

    @Test
    void shouldOpenAStoreWhoseSliverSstFooterIsCorrupt() throws Exception {
        TestCluster.runWithNewCluster(NODES, SHARDS, FAST, cluster -> {
            Random random = cluster.random();
            Map<BlobId, byte[]> blobs = store(cluster.client(), random, 5, 1_000, 4_000);
            int victim = random.nextInt(NODES);
            List<OwnedSliver> owned = settledOwnedSlivers(cluster.local(), victim, blobs);
            OwnedSliver target = owned.get(random.nextInt(owned.size()));
            Path db = cluster.local().nodeDataDir(victim);
            List<Path> holding = DiskFaults.filesHolding(db, ".sst", target.bcs());
            assertThat(holding).hasSize(1);
            // the footer (its checksummed part, before the format version and magic number): RocksDB does not open the store
            DiskFaults.flipBitNearEnd(holding.getFirst(), 13 + random.nextInt(30), random.nextInt(8));

            cluster.restartNode(victim);
            StorageNode node = cluster.node(victim);
            assertHealed(cluster, victim, node, blobs, owned);
            assertThat(NodeChecks.metric(node.url(), "tusk_node_store_families_recreated")).isEqualTo(1);
            assertTakesWritesAndCompacts(cluster, victim, node);
        });
    }

    @Test
    void shouldKeepANodeWithACorruptBlobInfoFileDownAloneWithTheReason() throws Exception {
        long seed = TestCluster.seed();
        Random random = new Random(seed);
        Map<BlobId, byte[]> blobs;
        int victim = random.nextInt(NODES);
        byte[] blobInfo;
        try (LocalCluster cluster = LocalCluster.start(dir, NODES, SHARDS, 0, 0, FAST);
             TuskClient client = cluster.client()) {
            blobs = store(client, random, 4, 1_000, 50_000);
            StorageNode node = cluster.node(victim);
            assertThat(Blobs.eventually(Duration.ofSeconds(30),
                    () -> NodeChecks.appliedEveryCertification(node, blobs.keySet()))).isTrue();
            BlobId any = blobs.keySet().iterator().next();
            blobInfo = node.store().blobInfo(any).map(BlobInfo::toBcs).orElseThrow();
        }
        Path db = dir.resolve("node-" + (victim + 1)).resolve("db");
        DiskFaults.settle(db);
        assertThat(DiskFaults.flipBitInside(db, ".sst", blobInfo, random.nextInt(blobInfo.length), random.nextInt(8)))
                .hasSize(1);

        // The whole single-process network restarts on its directory: the damaged node stays down, loudly, alone.
        try (LocalCluster cluster = LocalCluster.start(dir, NODES, SHARDS, 0, 0, FAST);
             TuskClient client = cluster.client()) {
            assertThat(cluster.node(victim)).isNull();
            assertThat(cluster.nodeFailure(victim)).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("blob_info").contains(".sst").contains("move " + db + " away"));
            for (int i = 0; i < NODES; i++) {
                if (i != victim) {
                    assertThat(cluster.node(i)).as("node %d", i).isNotNull();
                }
            }
            for (Map.Entry<BlobId, byte[]> e : blobs.entrySet()) {
                Blobs.assertReads(client, e.getKey(), e.getValue());
            }
            byte[] more = new byte[20_000];
            random.nextBytes(more);
            Blobs.assertReads(client, Blobs.id(client.store(more, StoreOptions.defaults())), more);
            assertThatThrownBy(() -> cluster.restartNode(victim)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("blob_info");
        }
    }

    // ---- helpers ----

    private static Map<BlobId, byte[]> store(TuskClient client, Random random, int count, int minSize, int maxSize) {
        Map<BlobId, byte[]> blobs = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] blob = new byte[minSize + random.nextInt(maxSize - minSize + 1)];
            random.nextBytes(blob);
            blobs.put(Blobs.id(client.store(blob, StoreOptions.defaults().withEpochs(3))), blob);
        }
        return blobs;
    }

    /**
     * Waits until node {@code victim} applied every certification (its start-up checks look at certified blobs), notes
     * the slivers it owns, stops it and settles its store into files; returns the slivers.
     */
    private static List<OwnedSliver> settledOwnedSlivers(LocalCluster cluster, int victim, Map<BlobId, byte[]> blobs)
            throws InterruptedException {
        StorageNode node = cluster.node(victim);
        assertThat(Blobs.eventually(Duration.ofSeconds(30),
                () -> NodeChecks.appliedEveryCertification(node, blobs.keySet()))).isTrue();
        List<OwnedSliver> owned = NodeChecks.ownedSlivers(node, blobs);
        assertThat(NodeChecks.notServed(node.url(), owned)).as("slivers served before the damage").isEmpty();
        cluster.stopNode(victim);
        DiskFaults.settle(cluster.nodeDataDir(victim));
        return owned;
    }

    private static void assertHealed(TestCluster cluster, int victim, StorageNode node, Map<BlobId, byte[]> blobs,
                                     List<OwnedSliver> owned) throws InterruptedException {
        for (Map.Entry<BlobId, byte[]> e : blobs.entrySet()) {
            Blobs.assertReads(cluster.client(), e.getKey(), e.getValue());
        }
        assertThat(Blobs.eventually(HEAL, () -> NodeChecks.notServed(node.url(), owned).isEmpty()))
                .as("node %d serves every sliver it owns within %s; not yet: %s", victim, HEAL,
                        NodeChecks.notServed(node.url(), owned)).isTrue();
    }

    /**
     * The repaired node stores the slivers of a new blob, and a full compaction (which reads every SST block, and
     * would stop all writes at a corrupt one) goes through, after which it still takes writes.
     */
    private static void assertTakesWritesAndCompacts(TestCluster cluster, int victim, StorageNode node)
            throws InterruptedException {
        byte[] blob = cluster.randomBlob(3_000);
        BlobId id = Blobs.id(cluster.client().store(blob, StoreOptions.defaults()));
        List<OwnedSliver> fresh = NodeChecks.ownedSlivers(node, Map.of(id, blob));
        assertThat(Blobs.eventually(Duration.ofSeconds(30), () -> NodeChecks.notServed(node.url(), fresh).isEmpty()))
                .as("node %d stores the slivers of a blob stored after the repair", victim).isTrue();
        node.store().compactAll();
        byte[] after = cluster.randomBlob(2_000);
        BlobId afterId = Blobs.id(cluster.client().store(after, StoreOptions.defaults()));
        List<OwnedSliver> afterSlivers = NodeChecks.ownedSlivers(node, Map.of(afterId, after));
        assertThat(Blobs.eventually(Duration.ofSeconds(30),
                () -> NodeChecks.notServed(node.url(), afterSlivers).isEmpty())).as("writes after a compaction").isTrue();
        assertThat(NodeChecks.health(node.url())).contains("\"writable\":true");
    }
}
