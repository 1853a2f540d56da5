package io.tusk.testkit;

import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stores and reads survive a dead node, a hung node and a lying node. */
class NodeFaultTest {
    /** Far below the client's 30 s request timeout: a store or read that waited for a dead node would exceed it. */
    private static final long BOUND_MILLIS = 10_000;

    @Test
    void shouldStoreAndReadWithOneNodeStopped() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            byte[] before = cluster.randomBlob(50_000);
            BlobId beforeId = Blobs.id(client.store(before, StoreOptions.defaults()));

            int down = cluster.random().nextInt(cluster.nodeCount());
            cluster.stopNode(down);
            Map<BlobId, byte[]> stored = new LinkedHashMap<>();
            for (int i = 0; i < 4; i++) {
                byte[] blob = cluster.randomBlob(cluster.random().nextInt(100_000));
                long start = System.nanoTime();
                StoreResult result = client.store(blob, i % 2 == 0 ? StoreOptions.defaults() : StoreOptions.defaults().permanent());
                assertThat(Blobs.millisSince(start)).as("store time with node %d stopped", down).isLessThan(BOUND_MILLIS);
                assertThat(Blobs.object(result).certifiedEpoch()).isNotNull();
                stored.put(Blobs.id(result), blob);
            }
            Blobs.assertReads(client, beforeId, before);
            stored.forEach((id, blob) -> Blobs.assertReads(client, id, blob));
        });
    }

    @Test
    void shouldNotWaitForAHungNode() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            byte[] before = cluster.randomBlob(30_000);
            BlobId beforeId = Blobs.id(client.store(before, StoreOptions.defaults()));

            int hung = cluster.random().nextInt(cluster.nodeCount());
            cluster.blackHoleNode(hung); // accepts connections, never answers
            byte[] blob = cluster.randomBlob(40_000);
            long start = System.nanoTime();
            BlobId id = Blobs.id(client.store(blob, StoreOptions.defaults()));
            assertThat(Blobs.millisSince(start)).as("store time with node %d hung", hung).isLessThan(BOUND_MILLIS);
            for (int i = 0; i < 6; i++) { // metadata comes from random nodes: 12 reads all but surely meet the hung one
                start = System.nanoTime();
                Blobs.assertReads(client, id, blob);
                Blobs.assertReads(client, beforeId, before);
                assertThat(Blobs.millisSince(start)).as("read time with node %d hung", hung).isLessThan(BOUND_MILLIS);
            }
        });
    }

    @Test
    void shouldReadTheRightBytesFromAByzantineNode() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            Map<BlobId, byte[]> stored = new LinkedHashMap<>();
            for (int size : List.of(0, 1, 1000, 60_000, 150_000)) {
                byte[] blob = cluster.randomBlob(size);
                stored.put(Blobs.id(client.store(blob, StoreOptions.defaults().permanent())), blob);
            }
            List<BlobId> ids = List.copyOf(stored.keySet());
            int liar = cluster.random().nextInt(cluster.nodeCount());
            TestCluster.MetadataLie[] lies = TestCluster.MetadataLie.values();
            TestCluster.SliverLie[] sliverLies = TestCluster.SliverLie.values();
            for (int b = 0; b < ids.size(); b++) {
                BlobId id = ids.get(b);
                assertThat(cluster.corruptSlivers(liar, id, 1.0, sliverLies[b % sliverLies.length]))
                        .containsExactlyInAnyOrderElementsOf(cluster.pairsHeldBy(liar, id));
                cluster.corruptMetadata(liar, id, lies[b % lies.length], ids.get((b + 1) % ids.size()));
                assertServesLies(cluster, liar, id);
            }
            for (int round = 0; round < 4; round++) { // metadata is asked of nodes in random order
                stored.forEach((id, blob) -> Blobs.assertReads(client, id, blob));
            }
        });
    }

    @Test
    void shouldReadWithOneNodeLyingAndAnotherStopped() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            Map<BlobId, byte[]> stored = new LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                byte[] blob = cluster.randomBlob(1 + cluster.random().nextInt(80_000));
                stored.put(Blobs.id(client.store(blob, StoreOptions.defaults())), blob);
            }
            int liar = cluster.random().nextInt(cluster.nodeCount());
            int down = (liar + 1 + cluster.random().nextInt(cluster.nodeCount() - 1)) % cluster.nodeCount();
            for (BlobId id : cluster.blobsStoredBy(liar)) { // half its slivers on average, and its metadata
                cluster.corruptSlivers(liar, id, 0.5);
                cluster.corruptMetadata(liar, id, TestCluster.MetadataLie.FLIPPED_HASH, null);
            }
            cluster.stopNode(down);
            // 10 shards: the two faulty nodes hold at most 6, so at least p = 4 honest primary slivers remain.
            for (int round = 0; round < 3; round++) {
                stored.forEach((id, blob) -> Blobs.assertReads(client, id, blob));
            }
        });
    }

    /** The lies are real: the node's REST API serves metadata and slivers that fail verification. */
    private static void assertServesLies(TestCluster cluster, int node, BlobId id) throws Exception {
        EncodingConfig encoding = new EncodingConfig(cluster.shardCount());
        String base = cluster.node(node).url() + "/v1/blobs/" + id;
        try (HttpClient http = HttpClient.newHttpClient()) {
            byte[] metadata = get(http, base + "/metadata");
            assertThatThrownBy(() -> BlobMetadataWithId.fromBcs(metadata).verify(encoding)).isInstanceOf(IllegalArgumentException.class);
            BlobMetadataWithId honest = cluster.node((node + 1) % cluster.nodeCount()).store().metadata(id)
                    .map(m -> new BlobMetadataWithId(id, m)).orElseThrow();
            for (int pair : cluster.pairsHeldBy(node, id)) {
                byte[] sliver = get(http, base + "/slivers/" + pair + "/primary");
                assertThatThrownBy(() -> Sliver.fromBcs(SliverType.PRIMARY, sliver).verify(encoding, honest.metadata()))
                        .isInstanceOf(IllegalArgumentException.class); // does not parse, or does not verify
            }
        }
    }

    private static byte[] get(HttpClient http, String url) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }
}
