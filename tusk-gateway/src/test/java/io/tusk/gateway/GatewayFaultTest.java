package io.tusk.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.client.StoreOptions;
import io.tusk.client.TuskClient;
import io.tusk.control.client.ControlClient;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.failpoint.FailPoints;
import io.tusk.core.quilt.InvalidIdentifierException;
import io.tusk.core.quilt.QuiltPatch;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static io.tusk.gateway.GatewayHttp.assertError;
import static io.tusk.gateway.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16.5, on a real four-node {@link LocalCluster} and a real gateway: what a hostile but careful user found at
 * the publisher's door. A resumed store says it reused its registration and charges nothing again; a repeated query
 * parameter is refused by every server rather than silently taking one value; a quilt identifier nobody could read
 * back (too long for a URL, or a path that leaves the directory it is read into) is refused at store time.
 */
class GatewayFaultTest extends GatewayOnClusterTest {
    private static final String BOUNDARY = "----tusk-fault-boundary";

    private TuskClient client;
    private final Random random = new Random(16);

    @BeforeAll
    void openClient() {
        client = wallet();
    }

    @AfterEach
    void disarm() {
        FailPoints.disarmAll();
    }

    @AfterAll
    void disarmAll() {
        FailPoints.disarmAll();
    }

    @Test
    void shouldReportAReusedRegistrationAndNoCostWhenAStoreResumes() {
        byte[] blob = new byte[5_000];
        random.nextBytes(blob);
        // Every node refuses to sign confirmations: the store registers (and pays), then cannot certify.
        FailPoints.armError("node.confirmation-sign");
        HttpResponse<byte[]> failed = http.put("/v1/blobs?epochs=3", blob);
        assertThat(failed.statusCode()).as(new String(failed.body(), StandardCharsets.UTF_8)).isGreaterThanOrEqualTo(500);
        FailPoints.disarmAll();

        long before = balance();
        HttpResponse<byte[]> resumed = http.put("/v1/blobs?epochs=3", blob);
        assertThat(resumed.statusCode()).as(new String(resumed.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode created = json(resumed).path("newlyCreated");
        JsonNode operation = created.path("resourceOperation");
        assertThat(operation.has("registerFromScratch")).as(operation.toString()).isFalse();
        assertThat(operation.path("reuseRegistration").path("encodedLength").asLong()).as(operation.toString())
                .isPositive();
        assertThat(operation.path("reuseRegistration").size()).as("only encodedLength, as Walrus").isEqualTo(1);
        assertThat(created.path("cost").asLong()).as("cost of a store that paid nothing").isZero();
        assertThat(created.path("blobObject").path("certifiedEpoch").isNumber()).isTrue();
        assertThat(balance()).as("the wallet's balance across the resumed store").isEqualTo(before);

        // the SDK says the same
        byte[] other = new byte[4_000];
        random.nextBytes(other);
        FailPoints.armError("node.confirmation-sign");
        assertThatThrownBy(() -> client.store(other, StoreOptions.defaults().withEpochs(3)))
                .isInstanceOf(RuntimeException.class);
        FailPoints.disarmAll();
        var result = client.store(other, StoreOptions.defaults().withEpochs(3));
        assertThat(result).isInstanceOfSatisfying(io.tusk.client.StoreResult.NewlyCreated.class, c -> {
            assertThat(c.resourceOperation()).isInstanceOf(io.tusk.client.StoreResult.ResourceOperation.ReuseRegistration.class);
            assertThat(c.cost()).isZero();
        });
    }

    @Test
    void shouldRefuseRepeatedQueryParametersOnEveryServer() {
        byte[] blob = new byte[100];
        random.nextBytes(blob);
        HttpResponse<byte[]> publisher = http.put("/v1/blobs?epochs=1&epochs=50", blob);
        assertThat(publisher.statusCode()).isEqualTo(400);
        assertThat(new String(publisher.body(), StandardCharsets.UTF_8)).contains("epochs");
        HttpResponse<byte[]> control = get(cluster.controlUrl(), "/v1/events?from=0&from=5&limit=1");
        assertThat(control.statusCode()).as(new String(control.body(), StandardCharsets.UTF_8)).isEqualTo(400);
        assertThat(new String(control.body(), StandardCharsets.UTF_8)).contains("from");
        HttpResponse<byte[]> node = get(URI.create(cluster.node(0).url()), "/v1/health?detailed=true&detailed=false");
        assertThat(node.statusCode()).isEqualTo(400);
        // one value each is still fine
        assertThat(get(cluster.controlUrl(), "/v1/events?from=0&limit=1").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseQuiltIdentifiersThatCannotBeAddressed() {
        String tenKilobytes = "q".repeat(10 * 1024);
        for (String identifier : List.of(tenKilobytes, "../x", "..", "a/../../etc/passwd", "/abs")) {
            assertThatThrownBy(() -> client.storeQuilt(List.of(QuiltPatch.of(identifier, new byte[10])),
                    StoreOptions.defaults())).as("SDK, identifier of %d chars", identifier.length())
                    .isInstanceOf(InvalidIdentifierException.class);
            HttpResponse<byte[]> response = http.put("/v1/quilts?epochs=2", multipart(identifier, new byte[10]),
                    "Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
            JsonNode error = assertError(response, 400, "MALFORMED_REQUEST");
            assertThat(error.path("message").asText()).contains(identifier.length() > 1000 ? "at most 1024" : "path segment");
        }
        // a nested name is fine, and its URL reads it back
        byte[] data = new byte[300];
        random.nextBytes(data);
        HttpResponse<byte[]> stored = http.put("/v1/quilts?epochs=2", multipart("dir/file.bin", data),
                "Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
        assertThat(stored.statusCode()).as(new String(stored.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        String quiltId = json(stored).path("blobStoreResult").path("newlyCreated").path("blobObject").path("blobId").asText();
        HttpResponse<byte[]> read = http.get("/v1/blobs/by-quilt-id/" + quiltId + "/"
                + URLEncoder.encode("dir/file.bin", StandardCharsets.UTF_8));
        assertThat(read.statusCode()).as(new String(read.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(read.body()).isEqualTo(data);
    }

    /**
     * 600 clients ask at once for a 20-byte blob the gateway has not cached: one read from the nodes serves them all
     * (it used to be one read each, and a devnet grew from 0.8 to 3.5 GB). Counted by the nodes' sliver requests.
     */
    @Test
    void shouldServeConcurrentColdReadsOfOneBlobWithOneReadFromTheNodes() throws Exception {
        byte[] blob = "twenty bytes of data".getBytes(StandardCharsets.US_ASCII);
        assertThat(blob).hasSize(20);
        // stored through the SDK: the gateway has not seen it, so every request below is a cold read
        String blobId = client.store(blob, StoreOptions.defaults().withEpochs(3)).blobId();
        byte[] other = "another twenty bytes".getBytes(StandardCharsets.US_ASCII);
        String otherId = client.store(other, StoreOptions.defaults().withEpochs(3)).blobId();
        long solo = sliverGets();
        assertThat(http.get("/v1/blobs/" + otherId).body()).isEqualTo(other);
        long oneRead = sliverGets() - solo;
        long before = sliverGets();
        int clients = 600;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<HttpResponse<byte[]>>> answers = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return http.get("/v1/blobs/" + blobId);
                }));
            }
            start.countDown();
            for (var answer : answers) {
                HttpResponse<byte[]> response = answer.get();
                assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
                assertThat(response.body()).isEqualTo(blob);
            }
        }
        long reads = sliverGets() - before;
        System.out.println("[gateway-fault] " + clients + " concurrent cold reads asked the nodes for " + reads
                + " slivers");
        // One read's worth (a few more if a slow node made it ask other holders), not one per client.
        assertThat(oneRead).isPositive();
        assertThat(reads).as("sliver requests for %d concurrent cold reads of one blob (one read: %d)", clients, oneRead)
                .isBetween(1L, 3 * oneRead);
    }

    // ---- helpers ----

    /** GET sliver requests the nodes answered, from their Prometheus pages. */
    private long sliverGets() {
        long total = 0;
        for (int i = 0; i < 4; i++) {
            HttpResponse<byte[]> metrics = get(URI.create(cluster.node(i).url()), "/metrics");
            for (String line : new String(metrics.body(), StandardCharsets.UTF_8).split("\n")) {
                // Walrus's per-sliver route and Tusk's batch route (one request for many slivers of one blob)
                if (line.startsWith("tusk_http_server_requests_seconds_count{") && line.contains("method=\"GET\"")
                        && (line.contains("/slivers/{sliver_pair_index}/{sliver_type}\"")
                            || line.contains("/slivers/{sliver_type}\""))) {
                    total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return total;
    }

    private long balance() {
        try (ControlClient control = new ControlClient(cluster.controlUrl())) {
            Ed25519KeyPair wallet = cluster.wallet();
            return control.account(wallet.publicKey().address().toString()).orElseThrow().balance();
        }
    }

    private static HttpResponse<byte[]> get(URI base, String path) {
        return GatewayHttp.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private static byte[] multipart(String identifier, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + identifier
                + "\"; filename=\"f.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(data);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
