package io.tusk.testkit;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.SliverPair;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.StorageNode;
import io.tusk.node.store.ObjectInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks of one node through its real REST API, for fault scenarios: does it serve every sliver it owns of every
 * stored blob, byte-identical to the honest encoding; what do its meters say.
 */
final class NodeChecks {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private NodeChecks() {
    }

    /** One sliver a node owns, with the bytes the honest encoder gives it. */
    record OwnedSliver(BlobId blobId, int shard, int pair, SliverType type, byte[] bcs) {
        @Override
        public String toString() {
            return type.wireName() + " sliver of pair " + pair + " (shard " + shard + ") of " + blobId;
        }
    }

    /** Every sliver of {@code blobs} that {@code node} owns in its current view, with the honest bytes. */
    static List<OwnedSliver> ownedSlivers(StorageNode node, Map<BlobId, byte[]> blobs) {
        var view = node.service().state().view();
        BlobEncoder encoder = new BlobEncoder(new EncodingConfig(view.shardCount()));
        List<OwnedSliver> out = new ArrayList<>();
        for (Map.Entry<BlobId, byte[]> e : blobs.entrySet()) {
            EncodedBlob encoded = encoder.encode(e.getValue());
            for (int shard : view.ownedShards()) {
                int pair = e.getKey().pairForShard(shard, view.shardCount());
                SliverPair sliverPair = encoded.pairs().get(pair);
                out.add(new OwnedSliver(e.getKey(), shard, pair, SliverType.PRIMARY, sliverPair.primary().toBcs()));
                out.add(new OwnedSliver(e.getKey(), shard, pair, SliverType.SECONDARY, sliverPair.secondary().toBcs()));
            }
        }
        return out;
    }

    /** The slivers of {@code expected} that {@code url}'s REST API does not serve with exactly the honest bytes. */
    static List<OwnedSliver> notServed(String url, List<OwnedSliver> expected) {
        List<OwnedSliver> wrong = new ArrayList<>();
        for (OwnedSliver s : expected) {
            HttpResponse<byte[]> response = get(url, "/v1/blobs/" + s.blobId() + "/slivers/" + s.pair() + "/"
                    + s.type().wireName());
            if (response == null || response.statusCode() != 200 || !Arrays.equals(response.body(), s.bcs())) {
                wrong.add(s);
            }
        }
        return wrong;
    }

    /** A counter or gauge from the node's Prometheus page (summed over labels); 0 if absent, -1 if no answer. */
    static double metric(String url, String name) {
        HttpResponse<byte[]> response = get(url, "/metrics");
        if (response == null || response.statusCode() != 200) {
            return -1;
        }
        double sum = 0;
        for (String line : new String(response.body(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{") || line.startsWith(name + "_total ")
                    || line.startsWith(name + "_total{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The body of {@code GET url/v1/health}, or null if the node does not answer. */
    static String health(String url) {
        HttpResponse<byte[]> response = get(url, "/v1/health");
        return response == null ? null : new String(response.body(), StandardCharsets.UTF_8);
    }

    static HttpResponse<byte[]> get(String url, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Whether {@code node} has applied the certification of every blob (its start-up scan checks certified blobs). */
    static boolean appliedEveryCertification(StorageNode node, Iterable<BlobId> blobIds) {
        for (BlobId id : blobIds) {
            if (!node.store().blobInfo(id).map(i -> i.objects().stream().anyMatch(ObjectInfo::isCertified)).orElse(false)) {
                return false;
            }
        }
        return true;
    }
}
