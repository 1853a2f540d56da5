package io.tusk.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tusk.core.api.ApiStatus;
import io.tusk.core.api.ErrorDomains;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ConfirmationCertificate;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonHttpClientTest {
    private static final BlsKeyPair KEY = BlsKeyPair.fromSecret(new byte[] {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9});
    private static TuskHttpServer server;
    private static JsonHttpClient client;

    record Confirmation(SignedMessage signed) {
    }

    record Account(Address address, long balance) {
    }

    @BeforeAll
    static void start() {
        server = HttpServerBuilder.create("client-test").domain(ErrorDomains.NODE)
                .get("/v1/blobs/{blobId}/confirmation/permanent", request -> {
                    BlobId blobId = request.pathParam("blobId", BlobId::parse);
                    return Response.ok(new Confirmation(
                            new StorageConfirmation(21, blobId, BlobPersistence.PERMANENT).sign(KEY)));
                })
                .get("/v1/shard", request -> {
                    throw ApiError.of(ErrorReason.SHARD_NOT_ASSIGNED, "shard 3 is not assigned to this node in epoch 5");
                })
                .get("/v1/epoch", request -> {
                    throw ApiError.of(ErrorReason.INVALID_EPOCH, "bad").withMetadata("request_epoch", 3);
                })
                .get("/v1/auth", request -> {
                    throw ApiError.of(ErrorReason.TOKEN_ALREADY_USED, "used");
                })
                .get("/v1/text", request -> {
                    throw HttpRejection.badRequest("Invalid URL: nope");
                })
                .get("/v1/empty", request -> Response.empty(503))
                .get("/v1/bcs", request -> Response.bcs(new byte[] {1, 2, 3}))
                .post("/v1/accounts", request -> Response.success(201, request.json(Account.class)))
                .get("/v1/raw", request -> Response.json(200, Map.of("events", List.of(1, 2), "next", 3)))
                .put("/v1/echo", request -> {
                    byte[] body = request.body();
                    return Response.ok(Map.of("length", body.length, "sha256", sha256(body)));
                })
                .start();
        client = JsonHttpClient.create(server.uri());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldSendBufferBodiesAsTheirConcatenationWithoutConsumingThem() {
        byte[] large = new byte[(1 << 20) + 777]; // within the default body limit of 2 MiB
        new java.util.Random(5).nextBytes(large);
        java.nio.ByteBuffer[] body = {java.nio.ByteBuffer.wrap(new byte[] {9, 8, 7}),
                java.nio.ByteBuffer.wrap(large, 11, large.length - 20), java.nio.ByteBuffer.allocate(0),
                java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4})};
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        expected.writeBytes(new byte[] {9, 8, 7});
        expected.write(large, 11, large.length - 20);
        expected.writeBytes(new byte[] {1, 2, 3, 4});
        Map<String, Object> want = Map.of("length", expected.size(), "sha256", sha256(expected.toByteArray()));
        for (int attempt = 0; attempt < 2; attempt++) { // the buffers are not consumed: the same body sends again
            Map<?, ?> echoed = client.putBuffers("/v1/echo", body, Map.class);
            assertThat(echoed).isEqualTo(want);
        }
        assertThat(body[1].position()).isEqualTo(11);
        assertThat(body[1].remaining()).isEqualTo(large.length - 20);
    }

    @Test
    void shouldUnwrapSuccessEnvelopesIntoCoreTypes() {
        String blob = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
        Confirmation confirmation = client.get("/v1/blobs/" + blob + "/confirmation/permanent", Confirmation.class);
        assertThat(confirmation.signed().serializedMessageBase64())
                .isEqualTo("AQADFQAAAAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fAA==");
        assertThat(confirmation.signed().verify(KEY.publicKey())).isTrue();

        Account account = new Account(Address.parse("0x2"), 7);
        assertThat(client.post("/v1/accounts", account, Account.class)).isEqualTo(account);
        assertThat(client.get("/v1/raw", new TypeReference<Map<String, Object>>() { }))
                .containsEntry("next", 3);
        assertThat(client.getBytes("/v1/bcs")).containsExactly(1, 2, 3);
    }

    @Test
    void shouldTurnAip193ErrorsIntoTypedExceptions() {
        ApiException shard = catchThrowableOfType(ApiException.class, () -> client.get("/v1/shard", String.class));
        assertThat(shard.isShardNotAssigned()).isTrue();
        assertThat(shard.isNotRegistered()).isFalse();
        assertThat(shard.httpStatus()).isEqualTo(400);
        assertThat(shard.status()).isEqualTo(ApiStatus.FAILED_PRECONDITION);
        assertThat(shard.domain()).isEqualTo(ErrorDomains.NODE);
        assertThat(shard.getMessage()).isEqualTo("shard 3 is not assigned to this node in epoch 5");
        assertThat(shard.errorReason()).isEqualTo(ErrorReason.SHARD_NOT_ASSIGNED);

        ApiException epoch = catchThrowableOfType(ApiException.class, () -> client.get("/v1/epoch", String.class));
        assertThat(epoch.metadata()).containsEntry("request_epoch", 3);

        ApiException auth = catchThrowableOfType(ApiException.class, () -> client.get("/v1/auth", String.class));
        assertThat(auth.httpStatus()).isEqualTo(401);
        assertThat(auth.domain()).isEqualTo(ErrorDomains.AUTH);
        assertThat(auth.is(ErrorReason.TOKEN_ALREADY_USED)).isTrue();
    }

    @Test
    void shouldKeepPlainTextRejectionsAsMessages() {
        ApiException text = catchThrowableOfType(ApiException.class, () -> client.get("/v1/text", String.class));
        assertThat(text.httpStatus()).isEqualTo(400);
        assertThat(text.isTyped()).isFalse();
        assertThat(text.getMessage()).isEqualTo("Invalid URL: nope");

        ApiException empty = catchThrowableOfType(ApiException.class, () -> client.get("/v1/empty", String.class));
        assertThat(empty.getMessage()).isEqualTo("HTTP 503 with an empty body");

        ApiException missing = catchThrowableOfType(ApiException.class, () -> client.get("/v1/none", String.class));
        assertThat(missing.isNotFound()).isTrue();
    }

    @Test
    void shouldRejectInvalidJsonInCoreTypes() {
        ApiException bad = catchThrowableOfType(ApiException.class, () -> client.post("/v1/accounts",
                Map.of("address", "0xzz", "balance", 1), Account.class));
        assertThat(bad.is(ErrorReason.INVALID_ARGUMENT)).isTrue();
        assertThat(bad.getMessage()).contains("non-hex");
    }

    @Test
    void shouldReportAMissingServerAsATransportFailure() {
        JsonHttpClient nowhere = JsonHttpClient.create(URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1));
        assertThatThrownBy(() -> nowhere.get("/v1/epoch", String.class)).isInstanceOf(HttpTransportException.class);
    }

    @Test
    void coreTypesShouldHaveTheirWalrusTextForms() throws Exception {
        var mapper = TuskJson.mapper();
        byte[] message = new StorageConfirmation(21, BlobId.of(new byte[32]), BlobPersistence.PERMANENT).toBcs();
        SignedMessage signed = new SignedMessage(message, KEY.sign(message));
        assertThat(mapper.writeValueAsString(signed)).isEqualTo(signed.toJson());
        assertThat(mapper.readValue(signed.toJson(), SignedMessage.class)).isEqualTo(signed);
        assertThat(mapper.writeValueAsString(ObjectId.parse("0x1"))).isEqualTo("\"0x" + "0".repeat(63) + "1\"");
        assertThat(mapper.writeValueAsString(KEY.publicKey())).isEqualTo("\"" + KEY.publicKey().toBase64() + "\"");

        ConfirmationCertificate certificate = ConfirmationCertificate.aggregate(List.of(0), List.of(signed));
        String json = mapper.writeValueAsString(certificate);
        assertThat(json).isEqualTo("{\"signers\":[0],\"serializedMessage\":\"" + signed.serializedMessageBase64()
                + "\",\"signature\":\"" + certificate.aggregateSignature().toBase64() + "\"}");
        assertThat(mapper.readValue(json, ConfirmationCertificate.class)).isEqualTo(certificate);
        assertThatThrownBy(() -> mapper.readValue(json.replace("[0]", "[1,0]"), ConfirmationCertificate.class))
                .hasMessageContaining("ascending");
        assertThatThrownBy(() -> mapper.readValue("{\"serializedMessage\":\"AA==\"}", SignedMessage.class))
                .hasMessageContaining("signature");
    }
}
