package io.tusk.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.Command;
import io.tusk.control.client.ControlClient;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static io.tusk.gateway.GatewayHttp.assertError;
import static io.tusk.gateway.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every route and every error of the gateway, on real sockets against a real four-node {@link LocalCluster}. Tests
 * that stop nodes start them again before they end; the epoch-changing test runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayTest extends GatewayOnClusterTest {
    private static final int SIZE = 1000;

    private TuskClient client;
    private byte[] blob;
    private String blobId;
    private String objectId;

    /** Large files off here: bodies over the limit are 413 (GatewayLargeFileTest has them on). */
    @Override
    GatewayConfig gatewayConfig() {
        return config().withLimits(64 << 10, 8, 8, 256, 320).withLargeFiles(0, 16 << 20, 0);
    }

    @BeforeAll
    void storeABlob() {
        client = wallet();
        blob = new byte[SIZE];
        new Random(7).nextBytes(blob);
        JsonNode created = json(ok(http.put("/v1/blobs?epochs=5", blob))).path("newlyCreated");
        blobId = created.path("blobObject").path("blobId").asText();
        objectId = created.path("blobObject").path("id").asText();
    }

    private GatewayConfig config() {
        return defaultGatewayConfig();
    }

    /** Waits until the gateway stops serving blob {@code id} (it learns from the events), then checks the 404. */
    private void awaitGone(String id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/v1/blobs/" + id).statusCode() != 200);
        assertError(http.get("/v1/blobs/" + id), 404, "BLOB_NOT_FOUND");
    }

    private static HttpResponse<byte[]> ok(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return response;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String uniqueText(String prefix) {
        return prefix + " " + System.nanoTime();
    }

    // ------------------------------------------------------------------------------------------------ service

    @Test
    void shouldAnswerStatusAndTheOpenApiDescriptionOfEveryRoute() throws IOException {
        HttpResponse<byte[]> status = ok(http.get("/status"));
        assertThat(new String(status.body(), StandardCharsets.UTF_8)).isEqualTo("OK");

        HttpResponse<byte[]> api = ok(http.get("/v1/api"));
        JsonNode openApi = new ObjectMapper(new YAMLFactory()).readTree(api.body());
        assertThat(openApi.path("openapi").asText()).startsWith("3.");
        assertThat(openApi.path("paths").fieldNames()).toIterable().containsExactlyInAnyOrder("/status", "/v1/api",
                "/v1/blobs", "/v1/blobs/{blobId}", "/v1/blobs/{blobId}/byte-range", "/v1/blobs/by-object-id/{objectId}",
                "/v1/quilts", "/v1/blob-upload-relay", "/v1/tip-config", "/v1/blobs/by-quilt-patch-id/{patchId}", "/v1/blobs/by-quilt-id/{quiltId}/{identifier}",
                "/v1/quilts/{quiltId}/patches", "/v1/spaces", "/v1/spaces/{owner}/{name}", "/v1/spaces/{owner}/{name}/entry",
                "/v1/spaces/{owner}/{name}/entries", "/v1/spaces/{owner}/{name}/history", "/v1/spaces/{owner}/{name}/diff",
                "/v1/spaces/{owner}/{name}/tags", "/v1/spaces/{owner}/{name}/tags/{tag}", "/v1/spaces/{owner}/{name}/restore",
                "/v1/spaces/{owner}/{name}/forget", "/v1/spaces/{owner}/{name}/verify", "/v1/spaces/{owner}/{name}/proof",
                "/v1/spaces/{owner}/{name}/streams/{stream}", "/v1/memory/{owner}/{name}",
                "/v1/memory/{owner}/{name}/remember", "/v1/memory/{owner}/{name}/recall",
                "/v1/memory/{owner}/{name}/memories/{id}", "/v1/memory/{owner}/{name}/memories/{id}/history",
                "/v1/memory/{owner}/{name}/history");
        assertThat(openApi.path("paths").path("/v1/blobs").has("put")).isTrue();
        assertThat(openApi.path("paths").path("/v1/blobs/{blobId}").has("head")).isTrue();
    }

    @Test
    void shouldAnswerCorsPreflightAndSimpleRequests() {
        HttpResponse<byte[]> preflight = http.send("OPTIONS", "/v1/blobs", null, "Origin", "https://example.org",
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("PUT");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type");
        HttpResponse<byte[]> read = ok(http.get("/v1/blobs/" + blobId, "Origin", "https://example.org"));
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void shouldRefuseUnknownRoutesAndMethods() {
        assertThat(http.get("/v2/blobs").statusCode()).isEqualTo(404);
        assertThat(http.send("DELETE", "/v1/blobs/" + blobId, null).statusCode()).isEqualTo(405);
        assertThat(http.send("POST", "/v1/blobs", bytes("x")).statusCode()).isEqualTo(405);
    }

    // ------------------------------------------------------------------------------------------------ publisher

    @Test
    void shouldStoreAsNewlyCreatedWithWalrusJson() {
        int epoch = client.control().epoch().epoch();
        HttpResponse<byte[]> response = ok(http.put("/v1/blobs?epochs=3", bytes(uniqueText("new blob"))));
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode root = json(response);
        assertThat(root.size()).isEqualTo(1);
        JsonNode created = root.path("newlyCreated");
        JsonNode object = created.path("blobObject");
        assertThat(object.path("id").asText()).matches("0x[0-9a-f]{64}");
        assertThat(object.path("blobId").asText()).hasSize(43);
        assertThat(object.path("size").asLong()).isEqualTo(uniqueText("new blob").length());
        assertThat(object.path("encodingType").asText()).isEqualTo("RS2");
        assertThat(object.path("registeredEpoch").asInt()).isEqualTo(epoch);
        assertThat(object.path("certifiedEpoch").asInt()).isEqualTo(epoch);
        assertThat(object.path("storage").path("startEpoch").asInt()).isEqualTo(epoch);
        assertThat(object.path("storage").path("endEpoch").asInt()).isEqualTo(epoch + 3);
        assertThat(object.path("storage").path("storageSize").asLong()).isPositive();
        assertThat(object.path("deletable").asBoolean()).isTrue();
        JsonNode scratch = created.path("resourceOperation").path("registerFromScratch");
        assertThat(scratch.path("encodedLength").asLong()).isEqualTo(object.path("storage").path("storageSize").asLong());
        assertThat(scratch.path("epochsAhead").asInt()).isEqualTo(3);
        assertThat(created.path("cost").asLong()).isPositive();
    }

    @Test
    void shouldAnswerAlreadyCertifiedUnlessForcedAndStorePermanentBlobs() {
        byte[] body = bytes(uniqueText("twice"));
        JsonNode first = json(ok(http.put("/v1/blobs?epochs=2", body))).path("newlyCreated");
        JsonNode again = json(ok(http.put("/v1/blobs", body)));
        assertThat(again.path("alreadyCertified").path("blobId").asText())
                .isEqualTo(first.path("blobObject").path("blobId").asText());
        assertThat(again.path("alreadyCertified").path("object").asText()).matches("0x[0-9a-f]{64}");
        assertThat(again.path("alreadyCertified").path("endEpoch").asInt())
                .isEqualTo(first.path("blobObject").path("storage").path("endEpoch").asInt());
        JsonNode forced = json(ok(http.put("/v1/blobs?force=true", body)));
        assertThat(forced.has("newlyCreated")).isTrue();

        JsonNode permanent = json(ok(http.put("/v1/blobs?permanent=true", bytes(uniqueText("permanent")))));
        assertThat(permanent.path("newlyCreated").path("blobObject").path("deletable").asBoolean()).isFalse();
        JsonNode deletable = json(ok(http.put("/v1/blobs?deletable=true", bytes(uniqueText("deletable")))));
        assertThat(deletable.path("newlyCreated").path("blobObject").path("deletable").asBoolean()).isTrue();
    }

    @Test
    void shouldStoreAnEmptyBodyAndReadItBack() {
        JsonNode result = json(ok(http.put("/v1/blobs?force=true", new byte[0])));
        String id = result.path("newlyCreated").path("blobObject").path("blobId").asText();
        HttpResponse<byte[]> read = ok(http.get("/v1/blobs/" + id));
        assertThat(read.body()).isEmpty();
        assertThat(http.get("/v1/blobs/" + id, "Range", "bytes=0-0").statusCode()).isEqualTo(416);
    }

    @Test
    void shouldRefuseBothPermanentAndDeletable() {
        assertError(http.put("/v1/blobs?permanent=true&deletable=true", bytes("x")), 400, "INVALID_BLOB_PERSISTENCE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"epochs=0", "epochs=-1", "epochs=abc", "epochs=", "epochs=99999999999", "epochs=1000",
            "permanent=yes", "force=1", "deletable=TRUE", "encoding_type=RS1", "share=true",
            "share=true&send_object_to=0x1", "send_object_to=0xzz", "send_object_to=42",
            "send_object_to=0x00000000000000000000000000000000000000000000000000000000000000ff", "epoch=5",
            "quilt_version=v1"})
    void shouldRefuseBadStoreParameters(String query) {
        assertError(http.put("/v1/blobs?" + query, bytes("bad parameters")), 400, "MALFORMED_REQUEST");
    }

    @Test
    void shouldAcceptSendObjectToThePublishersOwnAddressAndEpochsMax() {
        String own = cluster.wallet().publicKey().address().toString();
        JsonNode result = json(ok(http.put("/v1/blobs?send_object_to=" + own, bytes(uniqueText("own")))));
        assertThat(result.has("newlyCreated")).isTrue();
        int max = client.control().epoch().maxEpochsAhead();
        JsonNode longest = json(ok(http.put("/v1/blobs?epochs=max", bytes(uniqueText("max"))))).path("newlyCreated");
        assertThat(longest.path("resourceOperation").path("registerFromScratch").path("epochsAhead").asInt())
                .isEqualTo(max);
    }

    @Test
    void shouldRefuseBodiesOverTheLimitWith413() {
        HttpResponse<byte[]> response = http.put("/v1/blobs", new byte[(64 << 10) + 1]);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(ok(http.put("/v1/blobs?force=true", new byte[64 << 10])).statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------------------------------------ aggregator

    @Test
    void shouldReadWithWalrusHeaders() {
        HttpResponse<byte[]> response = ok(http.get("/v1/blobs/" + blobId));
        assertThat(response.body()).isEqualTo(blob);
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + blobId + "\"");
        assertThat(response.headers().firstValue("Cache-Control"))
                .hasValue("public, max-age=86400, stale-while-revalidate=3600");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(SIZE));
        assertThat(response.headers().firstValue("Content-Type")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "image/png | image/png",
        "text/plain; charset=utf-8 | text/plain; charset=utf-8",
        "*/* | ",
        "text/html,application/xhtml+xml,*/*;q=0.8 | "})
    void shouldMirrorAcceptAsContentTypeAsWalrusDoes(String accept, String expected) {
        HttpResponse<byte[]> response = ok(http.get("/v1/blobs/" + blobId, "Accept", accept));
        if (expected == null) {
            assertThat(response.headers().firstValue("Content-Type")).isEmpty();
        } else {
            assertThat(response.headers().firstValue("Content-Type")).hasValue(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "bytes=0-0, 0, 0",         // first byte
        "bytes=999-999, 999, 999", // last byte
        "bytes=0-999, 0, 999",
        "bytes=10-19, 10, 19",
        "bytes=990-5000, 990, 999", // end past the blob: cut (RFC 9110)
        "bytes=10-, 10, 999",      // open
        "bytes=-10, 990, 999",     // suffix
        "bytes=-1, 999, 999",
        "bytes=-5000, 0, 999",     // suffix longer than the blob
        "bytes= 5-6, 5, 6"})
    void shouldServeSingleRanges(String header, long first, long last) {
        HttpResponse<byte[]> response = http.get("/v1/blobs/" + blobId, "Range", header);
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(blob, (int) first, (int) last + 1));
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes " + first + "-" + last + "/" + SIZE);
        assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(last - first + 1));
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + blobId + "\"");

        HttpResponse<byte[]> head = http.head("/v1/blobs/" + blobId, "Range", header);
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Range")).hasValue("bytes " + first + "-" + last + "/" + SIZE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=1000-1000", "bytes=5000-6000", "bytes=5-2", "bytes=-0",
            "bytes=0-1,5-6", "bytes=0-1, 3-4", "items=0-1", "bytes=abc", "bytes=1-x", "bytes=", "bytes=--1", "0-1"})
    void shouldAnswer416ForUnsatisfiableOrMultipleRanges(String header) {
        HttpResponse<byte[]> response = http.get("/v1/blobs/" + blobId, "Range", header);
        assertError(response, 416, "INVALID_BYTE_RANGE");
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */" + SIZE);
        assertThat(http.head("/v1/blobs/" + blobId, "Range", header).statusCode()).isEqualTo(416);
    }

    @Test
    void shouldAnswerHeadWithoutBody() {
        HttpResponse<byte[]> head = ok(http.head("/v1/blobs/" + blobId));
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(SIZE));
        assertThat(head.headers().firstValue("ETag")).hasValue("\"" + blobId + "\"");
        assertThat(head.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(http.head("/v1/blobs/" + unknownBlobId()).statusCode()).isEqualTo(404);
        assertThat(http.head("/v1/blobs/nonsense").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldAnswer304ForAMatchingEtag() {
        HttpResponse<byte[]> response = http.get("/v1/blobs/" + blobId, "If-None-Match", "\"" + blobId + "\"");
        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(ok(http.get("/v1/blobs/" + blobId, "If-None-Match", "\"other\"")).body()).isEqualTo(blob);
        assertThat(http.get("/v1/blobs/" + unknownBlobId(), "If-None-Match", "*").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @CsvSource({"0, 1", "999, 1", "0, 1000", "100, 250"})
    void shouldServeByteRangeWith200(long start, long length) {
        HttpResponse<byte[]> response = ok(http.get("/v1/blobs/" + blobId + "/byte-range?start=" + start + "&length="
                + length));
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(blob, (int) start, (int) (start + length)));
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + blobId + "-" + start + "-" + length + "\"");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"start=0&length=0", "start=1000&length=1", "start=999&length=2", "start=0",
            "length=5", "", "start=-1&length=2", "start=abc&length=1", "start=0&length=1&extra=1",
            "start=0&length=99999999999999999999", "start=9223372036854775807&length=9223372036854775807"})
    void shouldRefuseBadByteRanges(String query) {
        assertError(http.get("/v1/blobs/" + blobId + "/byte-range?" + query), 400, "INVALID_BYTE_RANGE");
    }

    @Test
    void shouldReadByObjectId() {
        HttpResponse<byte[]> response = ok(http.get("/v1/blobs/by-object-id/" + objectId));
        assertThat(response.body()).isEqualTo(blob);
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + blobId + "\"");
        HttpResponse<byte[]> range = http.get("/v1/blobs/by-object-id/" + objectId, "Range", "bytes=-3");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(blob, SIZE - 3, SIZE));
        assertThat(ok(http.head("/v1/blobs/by-object-id/" + objectId)).body()).isEmpty();

        assertError(http.get("/v1/blobs/by-object-id/0x" + "0".repeat(63) + "1"), 404, "OBJECT_ID_RESOLUTION_FAILED");
        assertError(http.get("/v1/blobs/by-object-id/not-hex"), 400, "INVALID_ID_FORMAT");
        assertError(http.get("/v1/blobs/by-object-id/0x" + "0".repeat(65)), 400, "INVALID_ID_FORMAT");
    }

    @Test
    void shouldApplyConsistencyCheckOptions() {
        assertThat(ok(http.get("/v1/blobs/" + blobId + "?strict_consistency_check=true")).body()).isEqualTo(blob);
        assertThat(ok(http.get("/v1/blobs/" + blobId + "?skip_consistency_check=true")).body()).isEqualTo(blob);
        assertThat(ok(http.get("/v1/blobs/" + blobId + "?strict_consistency_check=false&skip_consistency_check=true"))
                .body()).isEqualTo(blob);
        assertError(http.get("/v1/blobs/" + blobId + "?strict_consistency_check=true&skip_consistency_check=true"),
                400, "INVALID_CONSISTENCY_CHECK");
        assertError(http.get("/v1/blobs/by-object-id/" + objectId
                + "?strict_consistency_check=true&skip_consistency_check=true"), 400, "INVALID_CONSISTENCY_CHECK");
        assertError(http.get("/v1/blobs/" + blobId + "/byte-range?start=0&length=1"
                + "&strict_consistency_check=true&skip_consistency_check=true"), 400, "INVALID_CONSISTENCY_CHECK");
        assertError(http.get("/v1/blobs/" + blobId + "?strict_consistency_check=maybe"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void shouldAnswer404ForUnknownBlobsAnd400ForBadIds() {
        assertError(http.get("/v1/blobs/" + unknownBlobId()), 404, "BLOB_NOT_FOUND");
        assertError(http.get("/v1/blobs/" + unknownBlobId() + "/byte-range?start=0&length=1"), 404, "BLOB_NOT_FOUND");
        assertError(http.get("/v1/blobs/abc"), 400, "INVALID_ID_FORMAT");
        assertError(http.get("/v1/blobs/" + blobId + "="), 400, "INVALID_ID_FORMAT");
        assertError(http.get("/v1/blobs/" + "+".repeat(43)), 400, "INVALID_ID_FORMAT");
        assertError(http.get("/v1/blobs/" + blobId.substring(1)), 400, "INVALID_ID_FORMAT");
        assertError(http.get("/v1/blobs/abc/byte-range?start=0&length=1"), 400, "INVALID_ID_FORMAT");
    }

    private static String unknownBlobId() {
        byte[] bytes = new byte[32];
        new Random(99).nextBytes(bytes);
        return BlobId.of(bytes).toString();
    }

    // ------------------------------------------------------------------------------------------------ cache

    @Test
    void shouldServeCachedReadsWithoutTouchingAnyNode() throws IOException {
        byte[] data = bytes(uniqueText("stored around the gateway"));
        StoreResult stored = client.store(data, StoreOptions.defaults().withEpochs(4)); // not through the gateway
        String id = stored.blobId();
        String object = ((StoreResult.NewlyCreated) stored).blobObject().id();
        byte[] viaGateway = bytes(uniqueText("stored through the gateway"));
        String storedId = json(ok(http.put("/v1/blobs", viaGateway))).path("newlyCreated").path("blobObject")
                .path("blobId").asText();
        assertThat(ok(http.get("/v1/blobs/" + id)).body()).isEqualTo(data); // cold: from the nodes, then cached
        stopAllNodes();
        try {
            assertThat(ok(http.get("/v1/blobs/" + id)).body()).isEqualTo(data);
            assertThat(http.get("/v1/blobs/" + id, "Range", "bytes=1-2").body()).isEqualTo(Arrays.copyOfRange(data, 1, 3));
            assertThat(ok(http.get("/v1/blobs/" + id + "/byte-range?start=0&length=3")).body())
                    .isEqualTo(Arrays.copyOfRange(data, 0, 3));
            assertThat(ok(http.get("/v1/blobs/by-object-id/" + object)).body()).isEqualTo(data);
            // Stored through the gateway: cached by the store itself, never read from the nodes.
            assertThat(ok(http.get("/v1/blobs/" + storedId)).body()).isEqualTo(viaGateway);
            // A blob that is not cached cannot be read now: the gateway answers, and does not die.
            int status = http.get("/v1/blobs/" + blobIdOfUncachedBlob()).statusCode();
            assertThat(status).isIn(503, 404);
        } finally {
            restartAllNodes();
        }
    }

    private String uncached;

    private String blobIdOfUncachedBlob() {
        return uncached;
    }

    @Test
    void shouldEvictADeletedBlobAndAnswer404() throws Exception {
        byte[] data = bytes(uniqueText("to be deleted"));
        JsonNode object = json(ok(http.put("/v1/blobs", data))).path("newlyCreated").path("blobObject");
        String id = object.path("blobId").asText();
        assertThat(ok(http.get("/v1/blobs/" + id)).body()).isEqualTo(data);
        assertThat(gateway.cache().get(BlobId.parse(id))).isNotNull();

        client.delete(ObjectId.parse(object.path("id").asText())); // the gateway's account owns it: same wallet
        awaitGone(id);
        assertThat(gateway.cache().get(BlobId.parse(id))).isNull();
        // Stored again right after: never a 404 from the cache.
        JsonNode again = json(ok(http.put("/v1/blobs", data)));
        assertThat(again.has("newlyCreated")).isTrue();
        assertThat(ok(http.get("/v1/blobs/" + id)).body()).isEqualTo(data);
    }

    @Test
    void shouldReadABlobTheEventStreamShowedCertifiedAndForgetItOnceDeleted() throws Exception {
        byte[] data = bytes(uniqueText("certified while followed"));
        StoreResult stored = client.store(data, StoreOptions.defaults()); // around the gateway: not in its cache
        BlobId id = BlobId.parse(stored.blobId());
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway.invalidator().certified(id).isPresent());
        assertThat(gateway.invalidator().certified(id).get().size()).isEqualTo(data.length);

        // Read from the nodes with no status query (the control plane counts its requests by route), then cached.
        long statusQueries = statusQueries();
        assertThat(statusQueries).as("status queries so far (a store makes some)").isPositive();
        assertThat(ok(http.get("/v1/blobs/" + id)).body()).isEqualTo(data);
        assertThat(statusQueries()).isEqualTo(statusQueries);
        assertThat(gateway.cache().get(id)).isNotNull();

        client.delete(ObjectId.parse(((StoreResult.NewlyCreated) stored).blobObject().id()));
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway.invalidator().certified(id).isEmpty());
        awaitGone(id.toString());
    }

    /** {@code GET /v1/blobs/{blobId}} requests the control plane has answered, from its metrics. */
    private long statusQueries() {
        HttpResponse<byte[]> metrics = ok(new GatewayHttp(cluster.controlUrl()).get("/metrics"));
        return new String(metrics.body(), StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("tusk_http_server_requests_seconds_count{")
                        && line.contains("route=\"/v1/blobs/{blobId}\"") && line.contains("server=\"control\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void shouldKeepVerifiedBlobsOnDiskAcrossRestarts() throws IOException {
        byte[] data = bytes(uniqueText("on disk"));
        String id = client.store(data, StoreOptions.defaults().withEpochs(4)).blobId();
        Path cacheDir = dir.resolve("disk-cache");
        GatewayConfig diskOnly = config().withCache(0, 1 << 20, cacheDir);
        try (Gateway first = Gateway.start(diskOnly)) {
            assertThat(ok(new GatewayHttp(first.uri()).get("/v1/blobs/" + id)).body()).isEqualTo(data);
            assertThat(first.cache().diskEntries()).isEqualTo(1);
        }
        stopAllNodes();
        try (Gateway second = Gateway.start(diskOnly)) {
            // Found on disk; its status is checked once on the control plane (no node is asked).
            assertThat(ok(new GatewayHttp(second.uri()).get("/v1/blobs/" + id)).body()).isEqualTo(data);
        } finally {
            restartAllNodes();
        }
    }

    // ------------------------------------------------------------------------------------------------ limits

    @Test
    void shouldAnswer429BeyondRunningAndQueuedStores() throws Exception {
        try (Gateway limited = Gateway.start(config().withLimits(1 << 20, 1, 0, 1, 0))) {
            GatewayHttp limitedHttp = new GatewayHttp(limited.uri());
            // A raw socket sends the headers and part of the body, and holds the rest: the store keeps its permit.
            byte[] body = bytes(uniqueText("slow body") + " ".repeat(64));
            try (Socket socket = new Socket(limited.uri().getHost(), limited.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(bytes("PUT /v1/blobs HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n"));
                out.write(body, 0, 10);
                out.flush();
                for (int i = 0; i < 500 && limited.publisherLimiter().admitted() == 0; i++) {
                    Thread.sleep(10);
                }
                assertThat(limited.publisherLimiter().admitted()).isEqualTo(1);
                assertError(limitedHttp.put("/v1/blobs", bytes("second")), 429, "TOO_MANY_REQUESTS");
                out.write(body, 10, body.length - 10);
                out.flush();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 200").contains("newlyCreated");
            }
            assertThat(ok(limitedHttp.put("/v1/blobs", bytes(uniqueText("after")))).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldAnswer504WhenNodesAreTooSlow() throws IOException {
        byte[] data = bytes(uniqueText("slow"));
        String id = client.store(data, StoreOptions.defaults()).blobId();
        try (Gateway impatient = Gateway.start(config().withTimeouts(1, 1).withCache(0, 0, null))) {
            GatewayHttp impatientHttp = new GatewayHttp(impatient.uri());
            assertError(impatientHttp.get("/v1/blobs/" + id), 504, "NODES_TIMED_OUT");
            assertError(impatientHttp.put("/v1/blobs", bytes(uniqueText("never"))), 504, "INSUFFICIENT_CONFIRMATIONS");
            assertThat(ok(impatientHttp.get("/status")).statusCode()).isEqualTo(200); // still serving
        }
    }

    @Test
    void shouldAnswer403ForBlobsOverTheSizeLimit() throws IOException {
        try (Gateway small = Gateway.start(config().withMaxBlobBytes(10).withCache(0, 0, null))) {
            assertError(new GatewayHttp(small.uri()).get("/v1/blobs/" + blobId), 403, "BLOB_TOO_LARGE");
        }
    }

    // ------------------------------------------------------------------------------------------------ expiry

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldEvictExpiredBlobsAtTheEpochChange() throws Exception {
        byte[] data = bytes(uniqueText("one epoch"));
        String id = json(ok(http.put("/v1/blobs?epochs=1", data))).path("newlyCreated").path("blobObject")
                .path("blobId").asText();
        assertThat(ok(http.get("/v1/blobs/" + id)).body()).isEqualTo(data);
        try (ControlClient control = new ControlClient(cluster.controlUrl())) {
            control.submit(new Command.AdvanceEpoch(System.currentTimeMillis()), cluster.admin());
        }
        awaitGone(id);
        assertThat(gateway.cache().get(BlobId.parse(id))).isNull();
        assertThat(ok(http.get("/v1/blobs/" + blobId)).body()).isEqualTo(blob); // stored for 5 epochs
    }

    private void stopAllNodes() {
        if (uncached == null) {
            uncached = client.store(bytes(uniqueText("never read")), StoreOptions.defaults()).blobId();
        }
        for (int i = 0; i < cluster.nodeCount(); i++) {
            cluster.stopNode(i);
        }
    }

    private void restartAllNodes() throws IOException {
        for (int i = 0; i < cluster.nodeCount(); i++) {
            cluster.restartNode(i);
        }
    }
}
