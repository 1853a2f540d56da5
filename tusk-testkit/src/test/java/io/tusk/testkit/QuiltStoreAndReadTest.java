package io.tusk.testkit;

import io.tusk.client.ClientConfig;
import io.tusk.client.QuiltStoreResult;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.StoredQuiltPatch;
import io.tusk.client.TuskClient;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.InconsistencyProof;
import io.tusk.core.encoding.RecoverySymbol;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.core.quilt.EncodedQuilt;
import io.tusk.core.quilt.MalformedQuiltException;
import io.tusk.core.quilt.QuiltEncoder;
import io.tusk.core.quilt.QuiltPatch;
import io.tusk.core.quilt.QuiltPatchId;
import io.tusk.core.quilt.QuiltPatchInfo;
import io.tusk.core.quilt.QuiltPatchNotFoundException;
import io.tusk.node.client.StorageNodeClient;
import io.tusk.node.client.SymbolId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Quilts through a real LocalCluster (4 nodes, 16 shards): store, list, read by patch ID and by identifier. */
class QuiltStoreAndReadTest {
    private static final int SHARDS = 16;

    @TempDir
    static Path dir;
    static LocalCluster cluster;
    /** Every getSliver the client makes: (blob ID, pair, type). */
    static final List<String> sliverRequests = new CopyOnWriteArrayList<>();
    static TuskClient client;
    static List<QuiltPatch> patches;
    static QuiltStoreResult stored;

    @BeforeAll
    static void storeAQuilt() throws Exception {
        cluster = LocalCluster.start(dir, 4, SHARDS, 0, 0);
        client = new TuskClient(ClientConfig.of(cluster.controlUrl(), cluster.wallet()), CountingNode::new);
        Random random = new Random(7);
        patches = new ArrayList<>();
        patches.add(new QuiltPatch("hello.txt", "Hello, Walrus!".getBytes(StandardCharsets.US_ASCII), Map.of("content-type", "text/plain")));
        patches.add(QuiltPatch.of("empty", new byte[0]));
        for (int i = 0; i < 5; i++) {
            byte[] data = new byte[500 + random.nextInt(20_000)];
            random.nextBytes(data);
            patches.add(new QuiltPatch("dir/file-" + i + ".bin", data, i % 2 == 0 ? Map.of("i", Integer.toString(i)) : Map.of()));
        }
        stored = client.storeQuilt(patches, StoreOptions.defaults().withEpochs(2));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldReturnWalrusPatchIdsInQuiltOrder() {
        assertThat(stored.blobStoreResult()).isInstanceOf(StoreResult.NewlyCreated.class);
        EncodedQuilt local = new QuiltEncoder(SHARDS).encode(patches);
        BlobId quiltId = new BlobEncoder(SHARDS).computeMetadata(local.blob()).blobId();
        assertThat(stored.quiltId()).isEqualTo(quiltId.toString());
        assertThat(stored.storedQuiltBlobs().stream().map(StoredQuiltPatch::identifier))
                .containsExactly("dir/file-0.bin", "dir/file-1.bin", "dir/file-2.bin", "dir/file-3.bin", "dir/file-4.bin", "empty", "hello.txt");
        assertThat(stored.storedQuiltBlobs().stream().map(StoredQuiltPatch::quiltPatchId).toList()).isEqualTo(local.patchIds(quiltId));
    }

    @Test
    void shouldReadEveryPatchByIdAndByIdentifier() {
        BlobId quiltId = BlobId.parse(stored.quiltId());
        for (StoredQuiltPatch patch : stored.storedQuiltBlobs()) {
            QuiltPatch expected = patches.stream().filter(p -> p.identifier().equals(patch.identifier())).findFirst().orElseThrow();
            assertThat(client.readPatch(patch.quiltPatchId())).isEqualTo(expected);
            assertThat(client.readPatch(QuiltPatchId.parse(patch.quiltPatchId().toString()))).isEqualTo(expected);
            assertThat(client.readPatch(quiltId, patch.identifier())).isEqualTo(expected);
        }
        assertThat(client.readPatches(quiltId, List.of("hello.txt", "empty")).stream().map(QuiltPatch::identifier))
                .containsExactly("hello.txt", "empty");
    }

    @Test
    void shouldListThePatchesWithTagsAndIds() {
        BlobId quiltId = BlobId.parse(stored.quiltId());
        List<QuiltPatchInfo> listed = client.listPatches(quiltId);
        assertThat(listed.stream().map(info -> info.patchId(quiltId)).toList())
                .isEqualTo(stored.storedQuiltBlobs().stream().map(StoredQuiltPatch::quiltPatchId).toList());
        assertThat(listed.stream().filter(i -> i.identifier().equals("hello.txt")).findFirst().orElseThrow().tags())
                .isEqualTo(Map.of("content-type", "text/plain"));
    }

    @Test
    void shouldSayClearlyWhenAnIdentifierIsNotInTheQuilt() {
        BlobId quiltId = BlobId.parse(stored.quiltId());
        assertThatThrownBy(() -> client.readPatch(quiltId, "nope.txt")).isInstanceOf(QuiltPatchNotFoundException.class)
                .hasMessage("quilt " + quiltId + " has no patch with identifier 'nope.txt'");
    }

    @Test
    void shouldFetchOnlyThePatchColumnsSecondarySlivers() {
        BlobId quiltId = BlobId.parse(stored.quiltId());
        StoredQuiltPatch wide = stored.storedQuiltBlobs().stream()
                .max(Comparator.comparingInt(p -> p.endIndex() - p.startIndex())).orElseThrow();
        assertThat(wide.endIndex() - wide.startIndex()).isGreaterThan(1);

        sliverRequests.clear();
        client.readPatch(wide.quiltPatchId());
        assertThat(new TreeSet<>(sliverRequests)).isEqualTo(secondaryRequests(quiltId, wide.startIndex(), wide.endIndex()));
        assertThat(sliverRequests).hasSize(wide.endIndex() - wide.startIndex());

        sliverRequests.clear();
        client.readPatch(quiltId, wide.identifier());
        int indexColumns = stored.storedQuiltBlobs().getFirst().startIndex();
        Set<String> expected = secondaryRequests(quiltId, 0, indexColumns);
        expected.addAll(secondaryRequests(quiltId, wide.startIndex(), wide.endIndex()));
        assertThat(new TreeSet<>(sliverRequests)).isEqualTo(expected);
        assertThat(sliverRequests).noneMatch(r -> r.endsWith("PRIMARY"));
    }

    @Test
    void shouldRefuseToReadAnOrdinaryBlobAsAQuilt() {
        StoreResult plain = client.store("not a quilt at all".getBytes(StandardCharsets.US_ASCII), StoreOptions.defaults());
        assertThatThrownBy(() -> client.listPatches(BlobId.parse(plain.blobId())))
                .isInstanceOf(MalformedQuiltException.class).hasMessageContaining("is not a quilt");
    }

    @Test
    void shouldStillReadPatchesWithANodeDown() throws Exception {
        BlobId quiltId = BlobId.parse(stored.quiltId());
        cluster.stopNode(3);
        try (TuskClient fresh = cluster.client()) {
            for (StoredQuiltPatch patch : stored.storedQuiltBlobs()) {
                assertThat(fresh.readPatch(patch.quiltPatchId()).identifier()).isEqualTo(patch.identifier());
            }
            assertThat(fresh.listPatches(quiltId)).hasSize(patches.size());
        } finally {
            cluster.restartNode(3);
        }
    }

    private static Set<String> secondaryRequests(BlobId quiltId, int start, int end) {
        return IntStream.range(start, end).mapToObj(j -> quiltId + "/" + (SHARDS - 1 - j) + "/SECONDARY")
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Passes every request on to the real node client, noting each sliver asked for (one per pair in a batch). */
    private record CountingNode(StorageNodeClient inner) implements StorageNodeClient {
        @Override
        public String address() {
            return inner.address();
        }

        @Override
        public void storeMetadata(BlobId blobId, BlobMetadata metadata) {
            inner.storeMetadata(blobId, metadata);
        }

        @Override
        public BlobMetadataWithId metadata(BlobId blobId) {
            return inner.metadata(blobId);
        }

        @Override
        public void storeSliver(BlobId blobId, int pairIndex, Sliver sliver) {
            inner.storeSliver(blobId, pairIndex, sliver);
        }

        @Override
        public Sliver sliver(BlobId blobId, int pairIndex, SliverType type) {
            sliverRequests.add(blobId + "/" + pairIndex + "/" + type);
            return inner.sliver(blobId, pairIndex, type);
        }

        @Override
        public List<Sliver> slivers(BlobId blobId, SliverType type, List<Integer> pairIndices, long maxBytes) {
            for (int pairIndex : pairIndices) {
                sliverRequests.add(blobId + "/" + pairIndex + "/" + type);
            }
            return inner.slivers(blobId, type, pairIndices, maxBytes);
        }

        @Override
        public SignedMessage confirmation(BlobId blobId, BlobPersistence persistence, Duration wait) {
            return inner.confirmation(blobId, persistence, wait);
        }

        @Override
        public List<RecoverySymbol> recoverySymbols(BlobId blobId, List<SymbolId> ids, SliverType proofAxis) {
            return inner.recoverySymbols(blobId, ids, proofAxis);
        }

        @Override
        public SignedMessage inconsistencyProof(BlobId blobId, InconsistencyProof proof) {
            return inner.inconsistencyProof(blobId, proof);
        }

        @Override
        public byte[] syncShard(BlsPublicKey caller, SignedMessage request) {
            return inner.syncShard(caller, request);
        }

        @Override
        public String health() {
            return inner.health();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
