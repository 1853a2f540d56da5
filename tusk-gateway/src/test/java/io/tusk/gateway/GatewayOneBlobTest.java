package io.tusk.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.tusk.gateway.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher stores a body above its in-memory limit that fits in one blob of the committee as one blob, whose ID
 * is the body's Walrus blob ID; only a larger body becomes chunks plus a manifest. 16 shards: largest blob
 * 4,325,244 bytes.
 */
class GatewayOneBlobTest extends GatewayOnClusterTest {
    @Override
    GatewayConfig gatewayConfig() {
        return defaultGatewayConfig().withLimits(64 << 10, 8, 8, 256, 320).withLargeFiles(16 << 20, 32 << 10, 0);
    }

    @Test
    void shouldStoreABodyThatFitsOneBlobAsOneBlob() {
        byte[] body = random(300_001, 1); // above maxBodyBytes (64 KiB): streamed, and still one blob
        HttpResponse<byte[]> stored = http.put("/v1/blobs?epochs=2", body);
        assertThat(stored.statusCode()).as(new String(stored.body())).isEqualTo(200);
        assertThat(stored.headers().firstValue("X-Tusk-Chunks")).isEmpty();
        JsonNode created = json(stored).path("newlyCreated").path("blobObject");
        String blobId = created.path("blobId").asText();
        assertThat(blobId).as("seed %s", SEED).isEqualTo(new BlobEncoder(SHARDS).computeMetadata(body).blobId().toString());
        assertThat(created.path("size").asLong()).isEqualTo(body.length);
        assertThat(http.get("/v1/blobs/" + blobId).body()).isEqualTo(body);
    }

    @Test
    void shouldChunkABodyLargerThanOneBlob() {
        long maxBlob = new EncodingConfig(SHARDS).maxBlobSize();
        byte[] body = random((int) maxBlob + 1_000, 2);
        HttpResponse<byte[]> stored = http.put("/v1/blobs?epochs=2", body);
        assertThat(stored.statusCode()).as(new String(stored.body())).isEqualTo(200);
        assertThat(stored.headers().firstValue("X-Tusk-Chunks")).hasValue("2");
        String fileId = json(stored).path("newlyCreated").path("blobObject").path("blobId").asText();
        assertThat(http.get("/v1/blobs/" + fileId).body()).as("seed %s", SEED).isEqualTo(body);
    }
}
