package io.tusk.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.client.TuskClient;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.QuiltPatchId;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static io.tusk.gateway.GatewayHttp.assertError;
import static io.tusk.gateway.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The quilt routes, on real sockets against a real four-node {@link LocalCluster}, in {@link GatewayTest}'s style. */
class GatewayQuiltTest extends GatewayOnClusterTest {
    private static final String BOUNDARY = "----tusk-test-boundary";

    private TuskClient client;
    private byte[] pdf;
    private byte[] png;
    private String quiltId;
    private JsonNode stored;

    @BeforeAll
    void storeAQuilt() {
        client = wallet();
        pdf = new byte[3000];
        png = new byte[700];
        new Random(1).nextBytes(pdf);
        new Random(2).nextBytes(png);
        byte[] body = multipart(part("contract-v2", "document.pdf", pdf), part("logo-2024", "image.png", png),
                part("_metadata", null, bytes("[{\"identifier\":\"logo-2024\",\"tags\":{\"kind\":\"logo\"}}]")));
        HttpResponse<byte[]> response = http.put("/v1/quilts?epochs=5", body, "Content-Type",
                "multipart/form-data; boundary=" + BOUNDARY);
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        stored = json(response);
        quiltId = stored.path("blobStoreResult").path("newlyCreated").path("blobObject").path("blobId").asText();
    }

    @Test
    void shouldStoreAQuiltAndAnswerWalrusQuiltStoreResult() {
        assertThat(quiltId).hasSize(43);
        assertThat(stored.path("blobStoreResult").path("newlyCreated").path("resourceOperation")
                .path("registerFromScratch").path("epochsAhead").asInt()).isEqualTo(5);
        JsonNode patches = stored.path("storedQuiltBlobs");
        assertThat(patches).hasSize(2);
        assertThat(patches.path(0).path("identifier").asText()).isEqualTo("contract-v2");
        assertThat(patches.path(1).path("identifier").asText()).isEqualTo("logo-2024");
        for (JsonNode patch : patches) {
            QuiltPatchId id = QuiltPatchId.parse(patch.path("quiltPatchId").asText());
            assertThat(id.quiltId()).isEqualTo(BlobId.parse(quiltId));
            assertThat(patch.path("range").path(0).asInt()).isEqualTo(id.startIndex());
            assertThat(patch.path("range").path(1).asInt()).isEqualTo(id.endIndex());
        }
        // the SDK agrees: the same quilt, the same tags
        assertThat(client.readPatch(BlobId.parse(quiltId), "logo-2024").tags()).containsEntry("kind", "logo");
    }

    @Test
    void shouldReadPatchesByPatchIdAndByIdentifierWithHeaders() {
        String patchId = stored.path("storedQuiltBlobs").path(0).path("quiltPatchId").asText();
        HttpResponse<byte[]> byId = http.get("/v1/blobs/by-quilt-patch-id/" + patchId);
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(byId.body()).isEqualTo(pdf);
        assertThat(byId.headers().firstValue("X-Quilt-Patch-Identifier")).hasValue("contract-v2");
        assertThat(byId.headers().firstValue("ETag")).hasValue("\"" + patchId + "\"");
        assertThat(byId.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        HttpResponse<byte[]> byName = http.get("/v1/blobs/by-quilt-id/" + quiltId + "/logo-2024");
        assertThat(byName.statusCode()).isEqualTo(200);
        assertThat(byName.body()).isEqualTo(png);
        assertThat(byName.headers().firstValue("X-Quilt-Patch-Identifier")).hasValue("logo-2024");
        assertThat(byName.headers().firstValue("ETag")).hasValue("\"" + quiltId + "\"");

        HttpResponse<byte[]> range = http.get("/v1/blobs/by-quilt-patch-id/" + patchId, "Range", "bytes=10-19");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(pdf, 10, 20));
        assertThat(http.get("/v1/blobs/by-quilt-patch-id/" + patchId, "If-None-Match", "\"" + patchId + "\"")
                .statusCode()).isEqualTo(304);
    }

    @Test
    void shouldListPatchesWithSnakeCasePatchIdAndTags() {
        HttpResponse<byte[]> response = http.get("/v1/quilts/" + quiltId + "/patches");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode list = json(response);
        assertThat(list).hasSize(2);
        assertThat(list.path(1).path("identifier").asText()).isEqualTo("logo-2024");
        assertThat(list.path(1).path("patch_id").asText())
                .isEqualTo(stored.path("storedQuiltBlobs").path(1).path("quiltPatchId").asText());
        assertThat(list.path(1).path("tags").path("kind").asText()).isEqualTo("logo");
        assertThat(list.path(0).path("tags").isObject()).isTrue();
    }

    @Test
    void shouldAnswer404ForUnknownPatchesAndQuilts() {
        assertError(http.get("/v1/blobs/by-quilt-id/" + quiltId + "/"
                + URLEncoder.encode("no-such", StandardCharsets.UTF_8)), 404, "QUILT_PATCH_NOT_FOUND");
        String unknownQuilt = "A".repeat(43);
        assertError(http.get("/v1/blobs/by-quilt-id/" + unknownQuilt + "/x"), 404, "BLOB_NOT_FOUND");
        assertError(http.get("/v1/quilts/" + unknownQuilt + "/patches"), 404, "BLOB_NOT_FOUND");
        // columns that hold no patch of this quilt
        QuiltPatchId wrong = new QuiltPatchId(BlobId.parse(quiltId), 14, 15);
        assertError(http.get("/v1/blobs/by-quilt-patch-id/" + wrong), 404, "QUILT_PATCH_NOT_FOUND");
        // a plain blob is not a quilt
        String plain = json(http.put("/v1/blobs", bytes("not a quilt"))).path("newlyCreated").path("blobObject")
                .path("blobId").asText();
        assertError(http.get("/v1/quilts/" + plain + "/patches"), 404, "QUILT_PATCH_NOT_FOUND");
    }

    @Test
    void shouldRefuseBadQuiltUploadsAndIds() {
        String type = "multipart/form-data; boundary=" + BOUNDARY;
        assertError(http.put("/v1/quilts", bytes("raw"), "Content-Type", "application/octet-stream"), 400,
                "MALFORMED_REQUEST");
        assertError(http.put("/v1/quilts", bytes("no boundary here"), "Content-Type", type), 400, "MALFORMED_REQUEST");
        assertError(http.put("/v1/quilts", multipart(part("a", "a", bytes("1")), part("a", "b", bytes("2"))),
                "Content-Type", type), 400, "MALFORMED_REQUEST");
        assertError(http.put("/v1/quilts", multipart(part("_x", "a", bytes("1"))), "Content-Type", type), 400,
                "MALFORMED_REQUEST");
        assertError(http.put("/v1/quilts", multipart(part("a", "a", bytes("1")), part("_metadata", null,
                bytes("{\"not\":\"a list\"}"))), "Content-Type", type), 400, "MALFORMED_REQUEST");
        assertError(http.put("/v1/quilts", multipart(part("a", "a", bytes("1")), part("_metadata", null,
                bytes("[{\"identifier\":\"b\",\"tags\":{}}]"))), "Content-Type", type), 400, "MALFORMED_REQUEST");
        assertError(http.put("/v1/quilts", multipart(part("_metadata", null, bytes("[]"))), "Content-Type", type),
                400, "MALFORMED_REQUEST");
        assertError(http.put("/v1/quilts?epoch=5", multipart(part("a", "a", bytes("1"))), "Content-Type", type),
                400, "MALFORMED_REQUEST");
        assertError(http.put("/v1/quilts?quilt_version=v9", multipart(part("a", "a", bytes("1"))), "Content-Type",
                type), 400, "MALFORMED_REQUEST");
        assertError(http.get("/v1/blobs/by-quilt-patch-id/not-a-patch-id"), 400, "INVALID_ID_FORMAT");
        assertError(http.get("/v1/quilts/nope/patches"), 400, "INVALID_ID_FORMAT");
    }

    private record Part(String name, String filename, byte[] data) {}

    private static Part part(String name, String filename, byte[] data) {
        return new Part(name, filename, data);
    }

    private static byte[] multipart(Part... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            out.writeBytes(bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + part.name() + "\""
                    + (part.filename() == null ? "" : "; filename=\"" + part.filename() + "\"") + "\r\n"
                    + (part.filename() == null ? "" : "Content-Type: application/octet-stream\r\n") + "\r\n"));
            out.writeBytes(part.data());
            out.writeBytes(bytes("\r\n"));
        }
        out.writeBytes(bytes("--" + BOUNDARY + "--\r\n"));
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
