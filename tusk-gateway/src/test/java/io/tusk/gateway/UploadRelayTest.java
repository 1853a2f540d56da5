package io.tusk.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.Command;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.tusk.gateway.GatewayHttp.assertError;
import static io.tusk.gateway.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The upload relay on a real network (4 nodes, 16 shards, real sockets): a client with its own funded account
 * stores through the gateway's relay, owns what it stored, and the gateway's wallet pays nothing; the relay refuses
 * unregistered blobs, bytes of another blob and bad parameters with AIP-193 errors.
 */
class UploadRelayTest extends GatewayOnClusterTest {
    private TuskClient client;
    private TuskClient publisherWallet;

    @Override
    GatewayConfig gatewayConfig() throws IOException {
        return super.gatewayConfig().withLimits(64 << 10, 8, 8, 256, 320).withLargeFiles(16 << 20, 32 << 10, 0);
    }

    @BeforeAll
    void startClients() throws IOException {
        client = fundedClient();
        publisherWallet = wallet();
    }

    @AfterAll
    void stopClients() {
        closeAll(client);
    }

    private long balance(TuskClient of) {
        return of.control().account(of.config().account().publicKey().address().toString()).orElseThrow().balance();
    }

    @Test
    void shouldStoreThroughTheRelayWithTheClientsOwnAccount(@TempDir Path dir) throws IOException {
        long walletBefore = balance(publisherWallet);
        long clientBefore = balance(client);
        byte[] blob = random(200_000, 1);
        StoreResult result = client.storeViaRelay(blob, new StoreOptions(2, true, false), gateway.uri());
        assertThat(result).isInstanceOf(StoreResult.NewlyCreated.class);
        assertThat(result.blobId()).as("seed %s", SEED)
                .isEqualTo(new BlobEncoder(SHARDS).computeMetadata(blob).blobId().toString());
        assertThat(http.get("/v1/blobs/" + result.blobId()).body()).isEqualTo(blob);
        assertThat(client.read(BlobId.parse(result.blobId()))).isEqualTo(blob);
        // The client owns the blob and paid for it; the relay's wallet paid nothing.
        assertThat(client.listBlobs().blobs()).anySatisfy(b -> assertThat(b.blobId()).isEqualTo(result.blobId()));
        assertThat(balance(client)).isLessThan(clientBefore);
        assertThat(balance(publisherWallet)).isEqualTo(walletBefore);

        // A file, permanent, through the memory-mapped path; then again: already certified, nothing sent.
        Path file = dir.resolve("file.bin");
        Files.write(file, random(1_000_003, 2));
        StoreResult stored = client.storeFileViaRelay(file, new StoreOptions(1, false, false), gateway.uri());
        assertThat(stored).isInstanceOf(StoreResult.NewlyCreated.class);
        assertThat(client.read(BlobId.parse(stored.blobId()))).isEqualTo(Files.readAllBytes(file));
        assertThat(client.storeFileViaRelay(file, new StoreOptions(1, false, false), gateway.uri()))
                .isInstanceOf(StoreResult.AlreadyCertified.class);
    }

    @Test
    void shouldAnswerWalrusTipConfigWithNoTip() {
        HttpResponse<byte[]> tip = http.get("/v1/tip-config");
        assertThat(tip.statusCode()).isEqualTo(200);
        assertThat(json(tip).asText()).isEqualTo("no_tip");
    }

    @Test
    void shouldRefuseUnregisteredBlobsOtherBytesAndBadParameters() {
        byte[] blob = random(5_000, 3);
        BlobId blobId = new BlobEncoder(SHARDS).computeMetadata(blob).blobId();
        assertError(http.send("POST", "/v1/blob-upload-relay?blob_id=" + blobId, blob), 400, "NOT_REGISTERED");
        assertError(http.send("POST", "/v1/blob-upload-relay", blob), 400, "MALFORMED_REQUEST");
        assertError(http.send("POST", "/v1/blob-upload-relay?blob_id=nope", blob), 400, "INVALID_ID_FORMAT");
        assertError(http.send("POST", "/v1/blob-upload-relay?blob_id=" + blobId + "&epochs=3", blob), 400,
                "MALFORMED_REQUEST");
        assertError(http.send("POST", "/v1/blob-upload-relay?blob_id=" + blobId + "&encoding_type=RS1", blob), 400,
                "UNSUPPORTED_ENCODING_TYPE");

        // Registered (permanent) by someone, then other bytes of the same length: refused, nothing written.
        StoreResult registered = client.store(blob, new StoreOptions(1, false, false));
        byte[] other = random(5_000, 4);
        JsonNode error = assertError(http.send("POST", "/v1/blob-upload-relay?blob_id=" + registered.blobId(), other),
                400, "INVALID_ARGUMENT");
        assertThat(error.path("message").asText()).contains("not " + registered.blobId());
        assertError(http.send("POST", "/v1/blob-upload-relay?blob_id=" + registered.blobId(), random(4_999, 5)), 400,
                "MALFORMED_REQUEST");
    }

    @Test
    void shouldRefuseARelaysCertificateThatIsNotForTheBlob() throws Exception {
        // A real certificate for blob A, gathered by the real relay for a registration made by hand.
        byte[] a = random(3_000, 6);
        io.tusk.core.metadata.BlobMetadataWithId metadata = new BlobEncoder(SHARDS).computeMetadata(a);
        client.control().submit(new Command.RegisterBlob(metadata.blobId().toString(), metadata.metadata().rootHash(),
                a.length, "RS2", 1, false), client.config().account());
        HttpResponse<byte[]> certified = http.send("POST", "/v1/blob-upload-relay?blob_id=" + metadata.blobId(), a);
        assertThat(certified.statusCode()).as(new String(certified.body())).isEqualTo(200);
        String answerForA = new String(certified.body(), java.nio.charset.StandardCharsets.UTF_8);
        // A lying relay answers A's certificate for any blob: the SDK refuses it and certifies nothing.
        try (io.tusk.http.TuskHttpServer liar = io.tusk.http.HttpServerBuilder.create("liar").host("127.0.0.1").port(0)
                .domain(io.tusk.core.api.ErrorDomains.GATEWAY)
                .post("/v1/blob-upload-relay", request -> io.tusk.http.Response.bytes(200, "application/json",
                        answerForA.replace(metadata.blobId().toString(), request.query("blob_id").orElseThrow())
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .start()) {
            byte[] b = random(3_000, 7);
            assertThatThrownBy(() -> client.storeViaRelay(b, new StoreOptions(1, false, false), liar.uri()))
                    .isInstanceOf(io.tusk.client.StoreException.class).hasMessageContaining("does not confirm blob");
            BlobId bId = new BlobEncoder(SHARDS).computeMetadata(b).blobId();
            assertThat(client.status(bId).objects()).allSatisfy(o -> assertThat(o.certifiedEpoch()).isNull());
        }
        assertThatThrownBy(() -> client.storeViaRelay(a, new StoreOptions(1, true, false),
                java.net.URI.create("ftp://relay.example"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http(s) URL");
    }
}
