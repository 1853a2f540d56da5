package io.tusk.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Random;

import static io.tusk.gateway.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher stores a body above its in-memory limit that fits in one blob of the committee as one blob, whose ID
 * is the body's Walrus blob ID; only a larger body becomes chunks plus a manifest. 16 shards: largest blob
 * 4,325,244 bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayOneBlobTest {
    private static final int SHARDS = 16;
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());

    private LocalCluster cluster;
    private Gateway gateway;
    private GatewayHttp http;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        System.out.println("GatewayOneBlobTest seed: " + SEED + " (replay with -Dtusk.test.seed=" + SEED + ")");
        cluster = LocalCluster.start(dir.resolve("cluster"), 4, SHARDS, 0, 0);
        gateway = Gateway.start(GatewayConfig.of(cluster.controlUrl(), cluster.directory().resolve("wallet.key"))
                .withPort(0).withLimits(64 << 10, 8, 8, 256, 320).withLargeFiles(16 << 20, 32 << 10, 0));
        http = new GatewayHttp(gateway.uri());
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] random(int length, long salt) {
        byte[] data = new byte[length];
        new Random(SEED ^ salt).nextBytes(data);
        return data;
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
