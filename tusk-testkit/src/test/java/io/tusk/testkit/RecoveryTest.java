package io.tusk.testkit;

import io.tusk.client.BlobInvalidException;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverPair;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.core.metadata.SliverPairMetadata;
import io.tusk.node.StorageNode;
import io.tusk.node.recovery.RecoveryConfig;
import io.tusk.node.recovery.RecoveryMetrics;
import io.tusk.node.service.CommitteeView;
import io.tusk.node.store.BlobStatus;
import io.tusk.node.store.NodeStore;
import io.tusk.node.store.ObjectInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Self-healing scenarios on the in-process cluster (real sockets, real RocksDB): 4 nodes, 16 shards (f = 5, each node
 * holds 4). Seeds are printed; set {@code -Dtusk.seed=N} to replay one.
 */
class RecoveryTest {
    private static final int NODES = 4;
    private static final int SHARDS = 16;
    private static final RecoveryConfig FAST = RecoveryConfig.DEFAULT.withDelay(Duration.ofMillis(200))
            .withMaxBackoff(Duration.ofSeconds(1));

    @TempDir
    Path dir;

    private static long seed(String test) {
        long seed = Long.getLong("tusk.seed", System.nanoTime());
        System.out.println(test + " seed=" + seed);
        return seed;
    }

    /** Stores {@code count} random blobs of random sizes (up to {@code maxSize}); returns them by blob ID. */
    private static Map<BlobId, byte[]> storeBlobs(TuskClient client, Random random, int count, int maxSize) {
        Map<BlobId, byte[]> blobs = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] blob = new byte[1 + random.nextInt(maxSize)];
            random.nextBytes(blob);
            StoreResult result = client.store(blob, StoreOptions.defaults().withEpochs(3));
            blobs.put(BlobId.parse(result.blobId()), blob);
        }
        return blobs;
    }


    /** Every sliver node {@code i} owns is stored and equal to the honest encoding of the blob. */
    private static void assertHoldsEverySliver(StorageNode node, Map<BlobId, byte[]> blobs) {
        CommitteeView view = node.service().state().view();
        EncodingConfig config = new EncodingConfig(SHARDS);
        BlobEncoder encoder = new BlobEncoder(config);
        for (Map.Entry<BlobId, byte[]> e : blobs.entrySet()) {
            BlobId blobId = e.getKey();
            EncodedBlob encoded = encoder.encode(e.getValue());
            assertThat(node.store().metadata(blobId)).contains(encoded.metadata().metadata());
            for (int shard : view.ownedShards()) {
                SliverPair pair = encoded.pairs().get(blobId.pairForShard(shard, SHARDS));
                assertThat(node.store().sliver(shard, SliverType.PRIMARY, blobId)).as("primary of shard " + shard)
                        .hasValueSatisfying(b -> assertThat(b).isEqualTo(pair.primary().toBcs()));
                assertThat(node.store().sliver(shard, SliverType.SECONDARY, blobId)).as("secondary of shard " + shard)
                        .hasValueSatisfying(b -> assertThat(b).isEqualTo(pair.secondary().toBcs()));
            }
        }
    }

    private static boolean holdsAll(StorageNode node, Map<BlobId, byte[]> blobs) {
        CommitteeView view = node.service().state().view();
        return view.isKnown() && node.recovery().pending() == 0
                && blobs.keySet().stream().allMatch(id -> node.service().storesAllSlivers(id, view));
    }

    private static void wipe(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void shouldRebuildEverySliverOfAWipedNode() throws Exception {
        Random random = new Random(seed("shouldRebuildEverySliverOfAWipedNode"));
        try (LocalCluster cluster = LocalCluster.start(dir, NODES, SHARDS, 0, 0, FAST); TuskClient client = cluster.client()) {
            Map<BlobId, byte[]> blobs = storeBlobs(client, random, 12, 400_000);
            int victim = random.nextInt(NODES);
            cluster.stopNode(victim);
            wipe(cluster.nodeDataDir(victim));
            cluster.restartNode(victim);
            StorageNode node = cluster.node(victim);
            await("node " + victim + " to rebuild").atMost(Duration.ofSeconds(60)).until(() -> holdsAll(node, blobs));
            assertHoldsEverySliver(node, blobs);
            RecoveryMetrics.Snapshot m = node.recovery().metrics().snapshot();
            System.out.println("wiped node recovery: " + m);
            assertThat(m.sliversRecovered()).isEqualTo(2L * blobs.size() * (SHARDS / NODES));
            // the rebuilt node serves reads alone with any f other shards' nodes gone
            for (int other = 0; other < NODES; other++) {
                if (other != victim) {
                    cluster.stopNode(other);
                    break;
                }
            }
            for (Map.Entry<BlobId, byte[]> e : blobs.entrySet()) {
                assertThat(client.read(e.getKey())).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void shouldRebuildCorruptedSliversOfUpToFShards() throws Exception {
        Random random = new Random(seed("shouldRebuildCorruptedSliversOfUpToFShards"));
        try (LocalCluster cluster = LocalCluster.start(dir, NODES, SHARDS, 0, 0, FAST); TuskClient client = cluster.client()) {
            Map<BlobId, byte[]> blobs = storeBlobs(client, random, 8, 300_000);
            int victim = random.nextInt(NODES);
            List<Integer> shards = List.copyOf(cluster.node(victim).service().state().view().ownedShards());
            // The start-up scan checks the slivers of certified blobs: the victim must have applied every certification
            // (a store returns once the control plane certified it, which the node's follower may learn a little later).
            StorageNode before = cluster.node(victim);
            await("node " + victim + " to apply every certification").atMost(Duration.ofSeconds(30)).until(() -> blobs.keySet().stream()
                    .allMatch(id -> before.store().blobInfo(id).map(info -> info.objects().stream()
                            .anyMatch(ObjectInfo::isCertified)).orElse(false)));
            cluster.stopNode(victim);
            // wrong bytes on disk: garbage, a flipped data byte in a well-formed sliver, or a wrong metadata
            int corrupted = 0;
            try (NodeStore store = NodeStore.open(cluster.nodeDataDir(victim), io.tusk.node.store.StoreOptions.DEFAULT)) {
                for (BlobId blobId : blobs.keySet()) {
                    for (int shard : shards) {
                        for (SliverType type : SliverType.values()) {
                            byte[] bcs = store.sliver(shard, type, blobId).orElseThrow();
                            byte[] bad;
                            if (random.nextBoolean()) {
                                Sliver s = Sliver.fromBcs(type, bcs);
                                byte[] data = s.data();
                                data[random.nextInt(data.length)] ^= (byte) (1 + random.nextInt(255));
                                bad = new Sliver(type, s.index(), s.symbolSize(), data).toBcs();
                            } else {
                                bad = new byte[bcs.length];
                                random.nextBytes(bad);
                            }
                            store.batch().putSliver(shard, type, blobId, bad).commit();
                            corrupted++;
                        }
                    }
                }
            }
            cluster.restartNode(victim);
            StorageNode node = cluster.node(victim);
            int expected = corrupted;
            await("node " + victim + " to rebuild corrupted slivers").atMost(Duration.ofSeconds(60)).until(() -> node.recovery().metrics().snapshot().sliversRecovered() == expected && node.recovery().pending() == 0);
            assertHoldsEverySliver(node, blobs);
            for (Map.Entry<BlobId, byte[]> e : blobs.entrySet()) {
                assertThat(client.read(e.getKey())).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void shouldCompleteRecoveryAfterANodeIsStoppedMidRecovery() throws Exception {
        Random random = new Random(seed("shouldCompleteRecoveryAfterANodeIsStoppedMidRecovery"));
        RecoveryConfig slow = FAST.withConcurrency(1);
        try (LocalCluster cluster = LocalCluster.start(dir, NODES, SHARDS, 0, 0, slow); TuskClient client = cluster.client()) {
            Map<BlobId, byte[]> blobs = storeBlobs(client, random, 30, 600_000);
            int victim = random.nextInt(NODES);
            cluster.stopNode(victim);
            wipe(cluster.nodeDataDir(victim));
            cluster.restartNode(victim);
            StorageNode first = cluster.node(victim);
            await("recovery to start").atMost(Duration.ofSeconds(60)).until(() -> first.recovery().metrics().snapshot().blobsRecovered() >= 2);
            long before = first.recovery().metrics().snapshot().blobsRecovered();
            cluster.stopNode(victim);
            assertThat(before).isLessThan(blobs.size());
            try (NodeStore store = NodeStore.open(cluster.nodeDataDir(victim), io.tusk.node.store.StoreOptions.DEFAULT)) {
                assertThat(store.pendingRecoveries()).as("recovery progress persisted").isNotEmpty();
            }
            cluster.restartNode(victim);
            StorageNode node = cluster.node(victim);
            await("node " + victim + " to finish recovery").atMost(Duration.ofSeconds(90)).until(() -> holdsAll(node, blobs));
            assertHoldsEverySliver(node, blobs);
            System.out.println("stopped after " + before + " blobs; second run recovered "
                    + node.recovery().metrics().snapshot().blobsRecovered());
            assertThat(node.store().pendingRecoveries()).isEmpty();
        }
    }

    @Test
    void shouldMarkAnInconsistentlyEncodedBlobInvalid() throws Exception {
        long seed = seed("shouldMarkAnInconsistentlyEncodedBlobInvalid");
        Random random = new Random(seed);
        try (LocalCluster cluster = LocalCluster.start(dir, NODES, SHARDS, 0, 0, FAST); TuskClient client = cluster.client()) {
            EncodingConfig config = new EncodingConfig(SHARDS);
            byte[] blob = new byte[50_000 + random.nextInt(200_000)];
            random.nextBytes(blob);
            EncodedBlob honest = new BlobEncoder(config).encode(blob);
            // A malicious writer replaces one repair primary sliver by garbage and commits to the garbage's hash.
            int p = config.primarySourceSymbols();
            int badRow = p + random.nextInt(SHARDS - p);
            Sliver original = honest.pairs().get(badRow).primary();
            byte[] garbageData = new byte[original.length()];
            random.nextBytes(garbageData);
            Sliver garbage = new Sliver(SliverType.PRIMARY, badRow, original.symbolSize(), garbageData);
            List<SliverPairMetadata> hashes = new ArrayList<>(honest.metadata().metadata().hashes());
            hashes.set(badRow, new SliverPairMetadata(garbage.computeHash(config), hashes.get(badRow).secondaryHash()));
            BlobMetadata forged = new BlobMetadata(honest.metadata().metadata().encodingType(),
                    honest.metadata().metadata().unencodedLength(), hashes);
            BlobMetadataWithId forgedWithId = new BlobMetadataWithId(forged.computeBlobId(), forged).verify(config);
            BlobId blobId = forgedWithId.blobId();
            List<SliverPair> pairs = new ArrayList<>(honest.pairs());
            pairs.set(badRow, new SliverPair(badRow, garbage, honest.pairs().get(badRow).secondary()));
            EncodedBlob forgedBlob = new EncodedBlob(forgedWithId, pairs);

            // The node holding the garbage row is down during the write; it must rebuild that row afterwards.
            int badShard = blobId.shardForPair(badRow, SHARDS);
            int victim = ownerOf(cluster, client, badShard);
            cluster.stopNode(victim);
            client.storeEncoded(forgedBlob, StoreOptions.defaults().withEpochs(3));
            cluster.restartNode(victim);

            await("the blob to be marked invalid").atMost(Duration.ofSeconds(60)).until(() -> client.status(blobId).status() instanceof io.tusk.control.api.BlobStatus.Invalid);
            assertThatThrownBy(() -> client.read(blobId)).isInstanceOf(BlobInvalidException.class);
            for (int i = 0; i < NODES; i++) {
                StorageNode node = cluster.node(i);
                await("node " + i + " to drop the blob").atMost(Duration.ofSeconds(30)).until(() -> node.service().blobStatus(blobId) instanceof BlobStatus.Invalid
                                && !node.store().hasMetadata(blobId));
                for (int shard = 0; shard < SHARDS; shard++) {
                    for (SliverType type : SliverType.values()) {
                        assertThat(node.store().hasSliver(shard, type, blobId)).isFalse();
                    }
                }
            }
            // the blob ID can no longer be registered
            assertThatThrownBy(() -> client.storeEncoded(forgedBlob, StoreOptions.defaults().withEpochs(3).forced()))
                    .hasMessageContaining("invalid");
        }
    }

    private static int ownerOf(LocalCluster cluster, TuskClient client, int shard) {
        CommitteeInfo committee = client.committeeInfo();
        for (CommitteeMember m : committee.members()) {
            if (m.shards().contains(shard)) {
                for (int i = 0; i < cluster.nodeCount(); i++) {
                    if (Arrays.equals(cluster.node(i).publicKey().bytes(), m.blsPublicKey())) {
                        return i;
                    }
                }
            }
        }
        throw new AssertionError("no node owns shard " + shard);
    }
}
