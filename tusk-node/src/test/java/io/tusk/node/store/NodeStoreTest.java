package io.tusk.node.store;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.SliverPair;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.failpoint.FailPoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class NodeStoreTest {
    private static final int SHARDS = 10;
    private static final String WRITE_FAIL_POINT = "node.store-write";

    @TempDir
    Path dir;

    private static EncodedBlob encode(String text) {
        return new BlobEncoder(SHARDS).encode(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] objectId(int b) {
        byte[] id = new byte[32];
        Arrays.fill(id, (byte) b);
        return id;
    }

    @Test
    void shouldKeepEverythingAcrossRestart() {
        EncodedBlob blob = encode("hello tusk");
        BlobId id = blob.blobId();
        BlobInfo info = BlobInfo.EMPTY.withRegistered(new ObjectInfo(objectId(7), 1, 3, false, -1, 4));
        try (NodeStore store = NodeStore.open(dir, StoreOptions.DEFAULT)) {
            store.ensureShards(List.of(2, 5));
            NodeStore.Batch batch = store.batch();
            batch.putMetadata(id, blob.metadata().metadata());
            SliverPair pair = blob.pairs().get(id.pairForShard(5, SHARDS));
            batch.putSliver(5, SliverType.PRIMARY, id, pair.primary().toBcs());
            batch.putSliver(5, SliverType.SECONDARY, id, pair.secondary().toBcs());
            batch.putBlobInfo(id, info);
            batch.setEventCursor(5);
            batch.commit();
        }
        try (NodeStore store = NodeStore.open(dir, StoreOptions.DEFAULT)) {
            assertThat(store.storedShards()).containsExactly(2, 5);
            assertThat(store.metadata(id)).contains(blob.metadata().metadata());
            assertThat(store.blobInfo(id)).contains(info);
            assertThat(store.eventCursor()).isEqualTo(5);
            SliverPair pair = blob.pairs().get(id.pairForShard(5, SHARDS));
            assertThat(store.sliver(5, SliverType.PRIMARY, id)).hasValueSatisfying(
                    v -> assertThat(v).isEqualTo(pair.primary().toBcs()));
            assertThat(store.hasSliver(5, SliverType.SECONDARY, id)).isTrue();
            assertThat(store.hasSliver(2, SliverType.PRIMARY, id)).isFalse();
            assertThat(store.hasSliver(9, SliverType.PRIMARY, id)).isFalse();
        }
    }

    @Test
    void shouldDeleteAllDataOfABlob() {
        EncodedBlob blob = encode("to delete");
        BlobId id = blob.blobId();
        try (NodeStore store = NodeStore.open(dir, StoreOptions.DEFAULT)) {
            store.ensureShards(List.of(0, 1));
            NodeStore.Batch batch = store.batch().putMetadata(id, blob.metadata().metadata());
            for (int shard : List.of(0, 1)) {
                SliverPair pair = blob.pairs().get(id.pairForShard(shard, SHARDS));
                batch.putSliver(shard, SliverType.PRIMARY, id, pair.primary().toBcs());
            }
            batch.commit();
            assertThat(store.hasSliver(1, SliverType.PRIMARY, id)).isTrue();
            store.batch().deleteBlobData(id).commit();
            assertThat(store.hasMetadata(id)).isFalse();
            assertThat(store.hasSliver(0, SliverType.PRIMARY, id)).isFalse();
            assertThat(store.hasSliver(1, SliverType.PRIMARY, id)).isFalse();
        }
    }

    @Test
    void shouldScanSliversInBlobIdOrder() {
        try (NodeStore store = NodeStore.open(dir, StoreOptions.DEFAULT)) {
            store.ensureShards(List.of(3));
            NodeStore.Batch batch = store.batch();
            for (int b : new int[] {9, 1, 5, 3}) {
                batch.putSliver(3, SliverType.SECONDARY, BlobId.of(objectId(b)), new byte[] {(byte) b});
            }
            batch.commit();
            List<Map.Entry<BlobId, byte[]>> scan = store.scanSlivers(3, SliverType.SECONDARY, BlobId.of(objectId(2)), 2);
            assertThat(scan).extracting(Map.Entry::getKey).containsExactly(BlobId.of(objectId(3)), BlobId.of(objectId(5)));
        }
    }

    @Test
    void shouldRefuseSliversOfUnknownShards() {
        try (NodeStore store = NodeStore.open(dir, StoreOptions.DEFAULT); NodeStore.Batch batch = store.batch()) {
            assertThatThrownBy(() -> batch.putSliver(4, SliverType.PRIMARY, BlobId.of(objectId(1)), new byte[1]))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("shard 4");
        }
    }

    @Test
    void shouldDropEmptyBlobInfo() {
        BlobId id = BlobId.of(objectId(1));
        try (NodeStore store = NodeStore.open(dir, StoreOptions.DEFAULT)) {
            BlobInfo info = BlobInfo.EMPTY.withRegistered(new ObjectInfo(objectId(2), 1, 2, true, -1, 0));
            store.batch().putBlobInfo(id, info).commit();
            assertThat(store.blobInfo(id)).isPresent();
            store.batch().putBlobInfo(id, info.withDeleted(objectId(2))).commit();
            assertThat(store.blobInfo(id)).isEmpty();
        }
    }

    @Test
    void shouldRefuseASecondOpenOfTheSameDirectory() {
        try (NodeStore store = NodeStore.open(dir, StoreOptions.DEFAULT)) {
            assertThatThrownBy(() -> NodeStore.open(dir, StoreOptions.DEFAULT)).isInstanceOf(StoreException.class);
        }
    }

    /**
     * Threads still reading and writing when the store closes (a recovery worker, a shard refresh, a request) finish
     * their call or get a StoreException; none touches a freed RocksDB handle, which would crash the JVM.
     */
    @Test
    void shouldRefuseCallsAfterCloseAndLetCallsInFlightFinish() throws Exception {
        NodeStore store = NodeStore.open(dir, StoreOptions.DEFAULT);
        store.ensureShards(List.of(1));
        BlobId blob = BlobId.of(objectId(7));
        store.batch().putSliver(1, SliverType.PRIMARY, blob, new byte[4096]).commit();
        java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Throwable> unexpected = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (long i = 0; ; i++) {
                        switch ((int) ((i + seed) % 4)) {
                            case 0 -> assertThat(store.sliver(1, SliverType.PRIMARY, blob)).isPresent();
                            case 1 -> store.scanSlivers(1, SliverType.PRIMARY, blob, 10);
                            case 2 -> store.batch().putSliver(1, SliverType.SECONDARY, blob, new byte[64]).commit();
                            default -> store.aggregatedProperty("rocksdb.cur-size-all-mem-tables");
                        }
                        calls.incrementAndGet();
                    }
                } catch (StoreException closed) {
                    if (!closed.getMessage().contains("closed")) {
                        unexpected.set(closed);
                    }
                } catch (Throwable e) {
                    unexpected.set(e);
                }
            }));
        }
        while (calls.get() < 2_000) {
            Thread.sleep(5);
        }
        store.close();
        for (Thread thread : threads) {
            thread.join(30_000);
            assertThat(thread.isAlive()).as("a caller still running after close").isFalse();
        }
        assertThat(unexpected.get()).as("only 'closed' refusals after close").isNull();
        assertThatThrownBy(() -> store.sliver(1, SliverType.PRIMARY, blob)).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.batch().putSliver(1, SliverType.PRIMARY, blob, new byte[1]).commit())
                .isInstanceOf(StoreException.class).hasMessageContaining("closed");
        store.close(); // a second close does nothing
    }

    /**
     * The node's event thread compacts (garbage collection at an epoch start) while the node closes, and the node joins
     * that thread only for a while: close must wait for the compaction, never free the native handles under it (which
     * crashed the JVM in RocksDB's SetOptions), and later compactions are refused.
     */
    @Test
    void shouldCloseOnlyAfterARunningCompactionAndRefuseLaterOnes() throws Exception {
        NodeStore store = NodeStore.open(dir, StoreOptions.DEFAULT);
        List<Integer> shards = java.util.stream.IntStream.range(0, SHARDS).boxed().toList();
        store.ensureShards(shards);
        NodeStore.Batch batch = store.batch();
        for (int b = 0; b < 50; b++) {
            for (int shard : shards) {
                batch.putSliver(shard, SliverType.PRIMARY, BlobId.of(objectId(b)), new byte[1024]);
            }
        }
        batch.commit();
        java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> ended = new java.util.concurrent.atomic.AtomicReference<>();
        Thread compactor = Thread.ofPlatform().start(() -> {
            try {
                while (true) {
                    store.compactAll();
                    rounds.incrementAndGet();
                }
            } catch (Throwable e) {
                ended.set(e);
            }
        });
        while (rounds.get() < 1 && compactor.isAlive()) {
            Thread.onSpinWait();
        }
        store.close(); // while the compactor is inside a compaction, or about to start one
        compactor.join(60_000);
        assertThat(compactor.isAlive()).isFalse();
        assertThat(ended.get()).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(store::compactAll).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.dropShardData(0)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        store.close(); // a second close does nothing
    }
    /**
     * While writes fail, the store probes them every two seconds by itself (a probe that fails does not stop the
     * probing), and health says writes work again once a probe got through, with no other write; close stops the
     * probing at once, even in the middle of a failure.
     */
    @Test
    void shouldProbeFailedWritesUntilTheyWorkAgainAndStopProbingOnClose() {
        NodeStore store = NodeStore.open(dir, StoreOptions.DEFAULT);
        try {
            FailPoints.armError(WRITE_FAIL_POINT);
            assertThatThrownBy(() -> store.batch().putNodeStatus("k", new byte[1]).commit())
                    .isInstanceOf(StoreException.class).hasMessageContaining("fail point");
            assertThat(store.health().writeFailure()).isPresent();
            // The failed write, then at least two failed probes: the probing went on after a probe failed.
            await().atMost(Duration.ofSeconds(60)).until(() -> FailPoints.hits(WRITE_FAIL_POINT) >= 3);
            assertThat(store.health().writeFailure()).isPresent();

            FailPoints.disarmAll();
            await().atMost(Duration.ofSeconds(60)).until(() -> store.health().writeFailure().isEmpty());
            assertThat(store.nodeStatus("write-probe")).isPresent();

            FailPoints.armError(WRITE_FAIL_POINT);
            assertThatThrownBy(() -> store.batch().putNodeStatus("k", new byte[1]).commit())
                    .isInstanceOf(StoreException.class);
        } finally {
            FailPoints.disarmAll();
        }
        // Probing again: close stops the probing rather than hanging on it (generous for a busy host).
        assertTimeoutPreemptively(Duration.ofSeconds(30), store::close);
        assertThat(store.health().writeFailure()).isPresent();
    }
}
