package io.tusk.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.client.RelayTip;
import io.tusk.client.StoreException;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.OptionalLong;

import static io.tusk.gateway.GatewayHttp.assertError;
import static io.tusk.gateway.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The upload relay's tip on a real network (4 nodes, 16 shards, real sockets, the control plane's real
 * {@code transfer}): Walrus's tip-config shapes; the SDK pays the tip by itself (exactly the tip, to the relay) within
 * its guard; the relay refuses missing, unknown, short, wrong-recipient, wrong-blob, reused and old payments with
 * AIP-193 reasons, writes nothing to the nodes then, and keeps used payments across a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UploadRelayTipTest extends GatewayOnClusterTest {
    private static final long TIP = 1_000;

    private TuskClient client;
    private String relayAddress;

    /** The class's gateway: a relay taking a constant tip, paid to its own wallet. */
    @Override
    GatewayConfig gatewayConfig() {
        return relayConfig("constant", UploadRelayConfig.tipped(RelayTip.constant(null, TIP)));
    }

    @BeforeAll
    void startClient() throws IOException {
        relayAddress = json(http.get("/v1/tip-config")).path("send_tip").path("address").asText();
        client = fundedClient();
    }

    /** A relay gateway with a wallet of its own in {@code name/}. */
    private GatewayConfig relayConfig(String name, UploadRelayConfig relay) {
        return GatewayConfig.of(cluster.controlUrl(), dir.resolve(name).resolve("relay.key")).withPort(0)
                .withRelay(relay);
    }

    private Gateway gateway(String name, UploadRelayConfig relay) throws IOException {
        return Gateway.start(relayConfig(name, relay));
    }

    @AfterAll
    void stopClient() {
        closeAll(client);
    }

    private long balance(String address) {
        return client.control().account(address).map(a -> a.balance()).orElse(0L);
    }

    private String clientAddress() {
        return client.config().account().publicKey().address().toString();
    }

    @Test
    @Order(1)
    void shouldAnswerWalrusTipConfigShapes() throws IOException {
        JsonNode tip = json(http.get("/v1/tip-config"));
        assertThat(tip.path("send_tip").path("kind").path("const").asLong()).isEqualTo(TIP);
        assertThat(relayAddress).startsWith("0x").hasSize(66); // by default the gateway's own account
        assertThat(RelayTip.fromJson(tip, true)).isEqualTo(RelayTip.constant(relayAddress, TIP));

        String operator = Ed25519KeyPair.generate(new SecureRandom()).publicKey().address().toString();
        try (Gateway linear = gateway("linear-config", UploadRelayConfig.tipped(RelayTip.linear(operator, 7, 3)))) {
            JsonNode answer = json(new GatewayHttp(linear.uri()).get("/v1/tip-config"));
            assertThat(answer.path("send_tip").path("address").asText()).isEqualTo(operator);
            assertThat(answer.path("send_tip").path("kind").path("linear").path("base").asLong()).isEqualTo(7);
            assertThat(answer.path("send_tip").path("kind").path("linear").path("encoded_size_mul_per_kib").asLong())
                    .isEqualTo(3);
        }
    }

    @Test
    @Order(2)
    void shouldPayTheTipFromTheSdkWithinItsGuard() throws IOException {
        byte[] blob = random(150_000, 1);
        long relayBefore = balance(relayAddress);
        long clientBefore = balance(clientAddress());
        // the guard allows exactly the tip
        StoreResult stored = client.storeViaRelay(blob, new StoreOptions(1, true, false), gateway.uri(),
                OptionalLong.of(TIP));
        assertThat(stored).isInstanceOf(StoreResult.NewlyCreated.class);
        assertThat(client.read(BlobId.parse(stored.blobId()))).isEqualTo(blob);
        assertThat(balance(relayAddress) - relayBefore).isEqualTo(TIP);
        long storageCost = ((StoreResult.NewlyCreated) stored).cost();
        assertThat(clientBefore - balance(clientAddress())).isEqualTo(storageCost + TIP);

        // A relay whose tip is linear in the encoded size, paid to an address of the operator's choosing.
        String operator = Ed25519KeyPair.generate(new SecureRandom()).publicKey().address().toString();
        try (Gateway linear = gateway("linear", UploadRelayConfig.tipped(RelayTip.linear(operator, 5, 2)))) {
            byte[] other = random(40_000, 2);
            client.storeViaRelay(other, new StoreOptions(1, true, false), linear.uri(), OptionalLong.of(1_000_000));
            long kib = Math.ceilDiv(new EncodingConfig(SHARDS).encodedSize(other.length), 1024L);
            assertThat(balance(operator)).isEqualTo(5 + 2 * kib);
        }

        // The guard: a tip above --max-tip is refused before anything is registered or paid.
        byte[] third = random(20_000, 3);
        long before = balance(clientAddress());
        assertThatThrownBy(() -> client.storeViaRelay(third, new StoreOptions(1, true, false), gateway.uri(),
                OptionalLong.of(TIP - 1))).isInstanceOf(StoreException.class)
                .hasMessageContaining("asks a tip of " + TIP).hasMessageContaining("nothing was paid");
        // by default at most what the network charges to store the blob (one unit here: 300 < the tip)
        assertThatThrownBy(() -> client.storeViaRelay(third, new StoreOptions(1, true, false), gateway.uri()))
                .isInstanceOf(StoreException.class).hasMessageContaining("by default at most the blob's storage cost");
        assertThat(balance(clientAddress())).isEqualTo(before);
        assertThat(client.status(new BlobEncoder(SHARDS).computeMetadata(third).blobId()).objects()).isEmpty();
    }

    @Test
    @Order(3)
    void shouldRefuseMissingUnknownShortWrongAndReusedPaymentsLosingNothing() {
        byte[] blob = random(30_000, 4);
        BlobId blobId = register(blob);
        String upload = "/v1/blob-upload-relay?blob_id=" + blobId;

        assertError(http.send("POST", upload, blob), 400, "TIP_REQUIRED");
        byte[] nonce = random(32, 5);
        assertError(http.send("POST", upload + "&tx_id=nope&nonce=" + b64(nonce), blob), 400, "MALFORMED_REQUEST");
        // a payment that does not exist, and a command that is not a transfer (the client's faucet at nonce 0)
        assertError(http.send("POST", upload + txId(clientAddress(), 1_000_000, nonce), blob), 400, "TIP_UNKNOWN");
        assertError(http.send("POST", upload + txId(clientAddress(), 0, nonce), blob), 400, "TIP_UNKNOWN");

        Event.Transferred shortPaid = pay(relayAddress, TIP - 1, blob, nonce);
        assertError(relay(upload, shortPaid, nonce, blob), 400, "TIP_INSUFFICIENT");
        String someoneElse = Ed25519KeyPair.generate(new SecureRandom()).publicKey().address().toString();
        Event.Transferred elsewhere = pay(someoneElse, TIP, blob, nonce);
        assertError(relay(upload, elsewhere, nonce, blob), 400, "TIP_WRONG_RECIPIENT");
        // a payment bound to another nonce, and to other bytes of the same length
        Event.Transferred paid = pay(relayAddress, TIP, blob, nonce);
        assertError(relay(upload, paid, random(32, 6), blob), 400, "TIP_NOT_FOR_BLOB");
        byte[] other = random(blob.length, 7);
        BlobId otherId = register(other);
        JsonNode error = assertError(relay("/v1/blob-upload-relay?blob_id=" + otherId, paid, nonce, other), 400,
                "TIP_NOT_FOR_BLOB");
        assertThat(error.path("message").asText()).contains("another blob");
        // nothing went to the nodes for the refused blob: no node holds its metadata, nothing is certified
        assertThat(nodeMetadataStatuses(otherId)).containsOnly(404);
        assertThat(client.status(otherId).objects()).allSatisfy(o -> assertThat(o.certifiedEpoch()).isNull());

        // a relay that cannot record the payment as used refuses it 503 and keeps it usable
        io.tusk.core.failpoint.FailPoints.armError("gateway.replay-journal-append");
        try {
            JsonNode unrecorded = assertError(relay(upload, paid, nonce, blob), 503, "UNAVAILABLE");
            assertThat(unrecorded.path("message").asText()).contains("cannot record");
        } finally {
            io.tusk.core.failpoint.FailPoints.disarmAll();
        }

        // the payment was not used up by the refusals: it pays for its own blob, once
        HttpResponse<byte[]> ok = relay(upload, paid, nonce, blob);
        assertThat(ok.statusCode()).as(new String(ok.body())).isEqualTo(200);
        assertThat(json(ok).path("blob_id").asText()).isEqualTo(blobId.toString());
        assertThat(nodeMetadataStatuses(blobId)).as("the same question for a relayed blob").contains(200);
        assertError(relay(upload, paid, nonce, blob), 409, "TIP_ALREADY_USED");
    }

    @Test
    @Order(4)
    void shouldKeepUsedPaymentsAcrossARestartAndRefuseOldOnes() throws IOException {
        // A relay that accepts payments of the current epoch only (so one epoch change makes a payment too old).
        UploadRelayConfig config = new UploadRelayConfig(RelayTip.constant(relayAddress, TIP), 0, 1000);
        byte[] blob = random(10_000, 8);
        BlobId blobId = register(blob);
        String upload = "/v1/blob-upload-relay?blob_id=" + blobId;
        byte[] nonce = random(32, 9);
        Event.Transferred paid = pay(relayAddress, TIP, blob, nonce);
        try (Gateway first = gateway("restarted", config)) {
            HttpResponse<byte[]> ok = new GatewayHttp(first.uri()).send("POST", upload + txId(paid, nonce), blob);
            assertThat(ok.statusCode()).as(new String(ok.body())).isEqualTo(200);
        }
        // one line per used payment: "+ EXPIRY-EPOCH KEY", the key (sender:nonce) in base64url
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString((paid.sender() + ":" + paid.nonce())
                .getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readAllLines(dir.resolve("restarted").resolve(RelayPayments.FILE_NAME)))
                .anySatisfy(line -> assertThat(line).startsWith("+ ").endsWith(" " + key));
        byte[] later = random(10_000, 10);
        BlobId laterId = register(later);
        byte[] laterNonce = random(32, 11);
        Event.Transferred laterPaid = pay(relayAddress, TIP, later, laterNonce);
        try (Gateway second = gateway("restarted", config)) {
            GatewayHttp restarted = new GatewayHttp(second.uri());
            assertError(restarted.send("POST", upload + txId(paid, nonce), blob), 409, "TIP_ALREADY_USED");
            cluster.advanceEpoch();
            assertError(restarted.send("POST", "/v1/blob-upload-relay?blob_id=" + laterId + txId(laterPaid, laterNonce),
                    later), 400, "TIP_EXPIRED");
        }
    }

    // ---- helpers: what a client of the relay does by hand

    /** What each storage node answers for the blob's metadata (200 held, 404 not). */
    private java.util.List<Integer> nodeMetadataStatuses(BlobId blobId) {
        return cluster.layout().nodePorts().stream().map(port -> new GatewayHttp(java.net.URI.create("http://"
                + cluster.layout().host() + ":" + port)).get("/v1/blobs/" + blobId + "/metadata").statusCode()).toList();
    }

    /** Registers the blob (permanent) for 3 epochs: it outlives the epoch change of the last test. */
    private BlobId register(byte[] blob) {
        BlobMetadataWithId metadata = new BlobEncoder(SHARDS).computeMetadata(blob);
        client.submit(new Command.RegisterBlob(metadata.blobId().toString(), metadata.metadata().rootHash(),
                blob.length, "RS2", 3, false));
        return metadata.blobId();
    }

    private Event.Transferred pay(String recipient, long amount, byte[] blob, byte[] nonce) {
        byte[] digest = RelayTip.sha256().digest(blob);
        return client.transfer(recipient, amount, RelayTip.memo(digest, nonce, blob.length));
    }

    private HttpResponse<byte[]> relay(String upload, Event.Transferred paid, byte[] nonce, byte[] body) {
        return http.send("POST", upload + txId(paid, nonce), body);
    }

    private static String txId(Event.Transferred paid, byte[] nonce) {
        return txId(paid.sender(), paid.nonce(), nonce);
    }

    private static String txId(String sender, long commandNonce, byte[] nonce) {
        return "&tx_id=" + URLEncoder.encode(sender + ":" + commandNonce, StandardCharsets.UTF_8) + "&nonce="
                + b64(nonce);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
