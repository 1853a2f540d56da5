package io.tusk.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.client.Manifest;
import io.tusk.client.TuskClient;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Random;

import static io.tusk.gateway.GatewayHttp.assertError;
import static io.tusk.gateway.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Large files through the gateway: streamed upload into chunks, streamed GET, Range across chunks, HEAD, limits. */
class GatewayLargeFileTest extends GatewayOnClusterTest {
    private static final int CHUNK = 16 << 10;

    private TuskClient client;
    private byte[] file;
    private String fileId;

    @Override
    GatewayConfig gatewayConfig() {
        return defaultGatewayConfig().withLimits(64 << 10, 8, 8, 256, 320).withLargeFiles(1 << 20, 32 << 10, CHUNK);
    }

    @BeforeAll
    void storeAFile() {
        client = wallet();
        file = new byte[7 * CHUNK + 1000];
        new Random(5).nextBytes(file);
        HttpResponse<byte[]> stored = http.put("/v1/blobs?epochs=3", file);
        assertThat(stored.statusCode()).as(new String(stored.body())).isEqualTo(200);
        assertThat(stored.headers().firstValue("X-Tusk-Chunks")).hasValue("8");
        JsonNode created = json(stored).path("newlyCreated");
        fileId = created.path("blobObject").path("blobId").asText();
    }

    /**
     * An upload cut off after some of its chunks were certified leaves them paid for and referenced by no manifest.
     * They are reused, not paid again: the same body sent again skips every chunk already certified.
     */
    @Test
    void shouldReuseTheChunksOfAnAbortedUploadWhenTheBodyIsSentAgain() throws Exception {
        byte[] body = new byte[6 * CHUNK + 100];
        new Random(11).nextBytes(body);
        long certifiedBefore = certifiedObjects();
        try (Socket socket = new Socket(gateway.uri().getHost(), gateway.uri().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /v1/blobs?epochs=3 HTTP/1.1\r\nHost: " + gateway.uri().getAuthority()
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 3 * CHUNK);
            out.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> certifiedObjects() > certifiedBefore);
        } // the connection drops with half the body sent: the gateway abandons the store
        HttpResponse<byte[]> again = http.put("/v1/blobs?epochs=3", body);
        assertThat(again.statusCode()).as(new String(again.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(again.headers().firstValue("X-Tusk-Chunks")).hasValue("7");
        assertThat(Integer.parseInt(again.headers().firstValue("X-Tusk-Chunks-Skipped").orElseThrow()))
                .as("chunks certified by the aborted upload, reused").isPositive();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        client.readStream(BlobId.parse(json(again).path("newlyCreated").path("blobObject").path("blobId").asText()),
                read);
        assertThat(read.toByteArray()).isEqualTo(body);
    }

    private long certifiedObjects() {
        return client.listBlobs().blobs().stream().filter(b -> b.certifiedEpoch() != null).count();
    }

    @Test
    void shouldStoreABodyOverTheBlobLimitAsChunksPlusAManifest() throws IOException {
        Manifest manifest = client.manifest(BlobId.parse(fileId)).orElseThrow();
        assertThat(manifest.totalLength()).isEqualTo(file.length);
        assertThat(manifest.chunkSize()).isEqualTo(CHUNK);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.readStream(BlobId.parse(fileId), out);
        assertThat(out.toByteArray()).isEqualTo(file);
        // the same upload again: every chunk is already certified and none is sent again
        HttpResponse<byte[]> again = http.put("/v1/blobs?epochs=3", file);
        assertThat(again.headers().firstValue("X-Tusk-Chunks-Skipped")).hasValue("8");
        assertThat(json(again).has("alreadyCertified")).isTrue();
    }

    @Test
    void shouldStreamTheWholeFileWithItsLength() {
        HttpResponse<byte[]> response = http.get("/v1/blobs/" + fileId);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(file.length));
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + fileId + "\"");
        assertThat(response.body()).isEqualTo(file);
        HttpResponse<byte[]> head = http.head("/v1/blobs/" + fileId);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(file.length));
    }

    @Test
    void shouldServeRangesAcrossChunkBoundaries() {
        int size = file.length;
        String[][] cases = {{"bytes=0-0", "0", "1"}, {"bytes=" + (size - 1) + "-", String.valueOf(size - 1), "1"},
                {"bytes=" + (CHUNK - 5) + "-" + (CHUNK + 4), String.valueOf(CHUNK - 5), "10"},
                {"bytes=" + (CHUNK - 1) + "-" + (5 * CHUNK), String.valueOf(CHUNK - 1), String.valueOf(4 * CHUNK + 2)},
                {"bytes=-1500", String.valueOf(size - 1500), "1500"}};
        for (String[] c : cases) {
            HttpResponse<byte[]> response = http.get("/v1/blobs/" + fileId, "Range", c[0]);
            int first = Integer.parseInt(c[1]);
            int length = Integer.parseInt(c[2]);
            assertThat(response.statusCode()).as(c[0]).isEqualTo(206);
            assertThat(response.headers().firstValue("Content-Range"))
                    .hasValue("bytes " + first + "-" + (first + length - 1) + "/" + size);
            assertThat(response.body()).as(c[0]).isEqualTo(Arrays.copyOfRange(file, first, first + length));
        }
        assertError(http.get("/v1/blobs/" + fileId, "Range", "bytes=" + size + "-"), 416, "INVALID_BYTE_RANGE");
        HttpResponse<byte[]> slice = http.get("/v1/blobs/" + fileId + "/byte-range?start=" + (2 * CHUNK - 7)
                + "&length=" + (CHUNK + 14));
        assertThat(slice.statusCode()).isEqualTo(200);
        assertThat(slice.body()).isEqualTo(Arrays.copyOfRange(file, 2 * CHUNK - 7, 3 * CHUNK + 7));
        assertError(http.get("/v1/blobs/" + fileId + "/byte-range?start=" + (size - 1) + "&length=2"), 400,
                "INVALID_BYTE_RANGE");
    }

    @Test
    void shouldNotCacheChunksOrFilesAndRefuseBodiesOverTheFileLimit() {
        // only blobs up to maxCachedBlobBytes (32 KiB) enter the cache: the manifest, never a 16 KiB chunk read
        // through the file's stream nor the file itself
        http.get("/v1/blobs/" + fileId);
        assertThat(gateway.cache().get(BlobId.parse(fileId))).isNotNull();
        Manifest manifest = client.manifest(BlobId.parse(fileId)).orElseThrow();
        for (BlobId chunk : manifest.chunks()) {
            assertThat(gateway.cache().get(chunk)).isNull();
        }
        HttpResponse<byte[]> tooLarge = http.put("/v1/blobs", new byte[(1 << 20) + 1]);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
    }
}
