package io.tusk.testkit;

import io.tusk.client.LocalBlobCache;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.encoding.InconsistencyProof;
import io.tusk.core.encoding.RecoverySymbol;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.node.client.StorageNodeClient;
import io.tusk.node.client.SymbolId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reads at the edge (issue 10): the SDK's verified cache on disk serves a blob read once without any network, keeps
 * serving when the network is cut, never serves bytes that do not verify, and drops blobs deleted or expired once
 * the client learns of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OfflineReadTest {
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());

    private LocalCluster cluster;
    private TuskClient writer;
    private TuskClient reader;
    private Path cacheDir;
    private final AtomicInteger nodeRequests = new AtomicInteger();

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        System.out.println("OfflineReadTest seed: " + SEED + " (replay with -Dtusk.test.seed=" + SEED + ")");
        cluster = LocalCluster.start(dir.resolve("cluster"), 4, 10, 0, 0);
        writer = cluster.client();
        cacheDir = dir.resolve("cache");
        reader = new TuskClient(writer.config().withBlobCache(cacheDir, 16 << 20), this::counting);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {reader, writer, cluster}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }
    }

    private StorageNodeClient counting(StorageNodeClient node) {
        return new StorageNodeClient() {
            @Override public String address() { return node.address(); }
            @Override public void storeMetadata(BlobId blobId, BlobMetadata metadata) { nodeRequests.incrementAndGet(); node.storeMetadata(blobId, metadata); }
            @Override public BlobMetadataWithId metadata(BlobId blobId) { nodeRequests.incrementAndGet(); return node.metadata(blobId); }
            @Override public void storeSliver(BlobId blobId, int pairIndex, Sliver sliver) { nodeRequests.incrementAndGet(); node.storeSliver(blobId, pairIndex, sliver); }
            @Override public Sliver sliver(BlobId blobId, int pairIndex, SliverType type) { nodeRequests.incrementAndGet(); return node.sliver(blobId, pairIndex, type); }
            @Override public List<Sliver> slivers(BlobId blobId, SliverType type, List<Integer> pairIndices, long maxBytes) { nodeRequests.incrementAndGet(); return node.slivers(blobId, type, pairIndices, maxBytes); }
            @Override public SignedMessage confirmation(BlobId blobId, BlobPersistence persistence, Duration wait) { nodeRequests.incrementAndGet(); return node.confirmation(blobId, persistence, wait); }
            @Override public List<RecoverySymbol> recoverySymbols(BlobId blobId, List<SymbolId> ids, SliverType proofAxis) { nodeRequests.incrementAndGet(); return node.recoverySymbols(blobId, ids, proofAxis); }
            @Override public SignedMessage inconsistencyProof(BlobId blobId, InconsistencyProof proof) { nodeRequests.incrementAndGet(); return node.inconsistencyProof(blobId, proof); }
            @Override public byte[] syncShard(BlsPublicKey caller, SignedMessage request) { nodeRequests.incrementAndGet(); return node.syncShard(caller, request); }
            @Override public String health() { return node.health(); }
            @Override public void close() { node.close(); }
        };
    }

    private static byte[] random(int length, long salt) {
        byte[] data = new byte[length];
        new Random(SEED ^ salt).nextBytes(data);
        return data;
    }

    /**
     * The client keeps the committee for a second; a read within it would not see the new epoch yet (a flaky CI run
     * read the new blob from the old epoch's committee, which holds the same shards, and swept nothing).
     */
    private static void sleepPastCommitteeCache() {
        try {
            Thread.sleep(1_200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private BlobId store(byte[] data, StoreOptions options) {
        return BlobId.parse(writer.store(data, options).blobId());
    }

    private long entries() throws IOException {
        try (Stream<Path> files = Files.list(cacheDir)) {
            return files.filter(f -> f.getFileName().toString().matches("[A-Za-z0-9_-]{43}\\.\\d+\\.\\d+")).count();
        }
    }

    private LocalBlobCache cache() {
        return reader.cache().orElseThrow();
    }

    @Test
    @Order(1)
    void shouldServeABlobReadOnceWithoutAskingTheNodes() {
        byte[] data = random(40_000, 1);
        BlobId id = store(data, StoreOptions.defaults().withEpochs(5));
        assertThat(reader.read(id)).isEqualTo(data);
        int afterFirst = nodeRequests.get();
        assertThat(afterFirst).isPositive();
        assertThat(reader.read(id)).isEqualTo(data);
        assertThat(nodeRequests.get()).as("node requests of a cached read").isEqualTo(afterFirst);
    }

    @Test
    @Order(2)
    void shouldDropAndReadAgainAnEntryThatDoesNotVerify() throws IOException {
        byte[] data = random(30_000, 2);
        BlobId id = store(data, StoreOptions.defaults().withEpochs(5));
        assertThat(reader.read(id)).isEqualTo(data);
        Path entry;
        try (Stream<Path> files = Files.list(cacheDir)) {
            entry = files.filter(f -> f.getFileName().toString().startsWith(id.toString())).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        bytes[17] ^= 0x40;
        Files.write(entry, bytes);
        int before = nodeRequests.get();
        assertThat(reader.read(id)).as("seed %s", SEED).isEqualTo(data);
        assertThat(nodeRequests.get()).as("a damaged entry is read from the nodes again").isGreaterThan(before);
    }

    @Test
    @Order(3)
    void shouldForgetABlobItDeletes() throws IOException {
        byte[] data = random(20_000, 3);
        StoreResult stored = reader.store(data, StoreOptions.defaults().withEpochs(5));
        BlobId id = BlobId.parse(stored.blobId());
        assertThat(reader.read(id)).isEqualTo(data);
        assertThat(cache().get(id)).isPresent();
        reader.delete(ObjectId.parse(((StoreResult.NewlyCreated) stored).blobObject().id()));
        assertThat(cache().get(id)).isEmpty();
    }

    @Test
    @Order(4)
    void shouldForgetABlobAStatusQuerySaysIsGone() {
        byte[] data = random(21_000, 4);
        StoreResult stored = writer.store(data, StoreOptions.defaults().withEpochs(5));
        BlobId id = BlobId.parse(stored.blobId());
        assertThat(reader.read(id)).isEqualTo(data);
        writer.delete(ObjectId.parse(((StoreResult.NewlyCreated) stored).blobObject().id())); // another client deletes it
        assertThat(cache().get(id)).as("not learnt yet").isPresent();
        reader.status(id);
        assertThat(cache().get(id)).isEmpty();
        assertThatThrownBy(() -> reader.read(id)).isInstanceOf(io.tusk.client.BlobNotFoundException.class);
    }

    @Test
    @Order(5)
    void shouldForgetExpiredBlobsOnceItSeesTheirEndEpoch() {
        byte[] shortLived = random(22_000, 5);
        BlobId id = store(shortLived, StoreOptions.defaults().withEpochs(1));
        assertThat(reader.read(id)).isEqualTo(shortLived);
        assertThat(cache().get(id)).isPresent();
        cluster.advanceEpoch();
        byte[] other = random(23_000, 6);
        BlobId otherId = store(other, StoreOptions.defaults().withEpochs(5));
        sleepPastCommitteeCache();
        assertThat(reader.read(otherId)).isEqualTo(other); // the read fetches the committee: a new epoch
        assertThat(cache().get(id)).as("expired at its end epoch").isEmpty();
        assertThat(cache().get(otherId)).isPresent();
    }

    @Test
    @Order(6)
    void shouldKeepServingWithTheNetworkCut() throws IOException {
        byte[] data = random(50_000, 7);
        BlobId id = store(data, StoreOptions.defaults().withEpochs(5));
        byte[] never = random(1000, 8);
        BlobId neverRead = store(never, StoreOptions.defaults().withEpochs(5));
        assertThat(reader.read(id)).isEqualTo(data);
        long cached = entries();

        cluster.stopControl();
        for (int i = 0; i < cluster.nodeCount(); i++) {
            cluster.stopNode(i);
        }
        long start = System.nanoTime();
        assertThat(reader.read(id)).as("seed %s", SEED).isEqualTo(data);
        System.out.printf("OfflineReadTest: cached read of %d bytes with the network cut took %.1f ms%n", data.length,
                (System.nanoTime() - start) / 1e6);
        assertThat(entries()).isEqualTo(cached);
        assertThatThrownBy(() -> reader.read(neverRead)).as("a blob never read needs the network")
                .isInstanceOf(RuntimeException.class);
    }
}
