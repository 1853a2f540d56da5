package io.tusk.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.core.api.ErrorDomains;
import io.tusk.core.crypto.Address;
import io.tusk.http.HttpServerBuilder;
import io.tusk.http.Response;
import io.tusk.http.TuskHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static io.tusk.gateway.auth.TestTokens.claims;
import static io.tusk.gateway.auth.TestTokens.hs256;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PublisherAuth} behind a real {@link TuskHttpServer} on a real socket, with a clock the test moves: every
 * refusal with its reason, the 401 shape and challenge, replay, the bounded cache, the unsigned mode.
 */
class PublisherAuthTest {
    private static final byte[] SECRET = "the publisher's secret".getBytes(StandardCharsets.UTF_8);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = 1_800_000_000L;
    private static final String OWNER = Address.parse("0x1").toString();

    private final AtomicLong clock = new AtomicLong(NOW);
    private TuskHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A store route that authorizes its epochs query and send_object_to, and a guarded route without them. */
    private URI serve(PublisherAuthConfig config) {
        return serve(new PublisherAuth(config, clock::get));
    }

    private URI serve(PublisherAuth auth) {
        server = HttpServerBuilder.create("auth-test").domain(ErrorDomains.GATEWAY)
                .put("/v1/blobs", PublisherAuth.answering(request -> {
                    var token = auth.authenticate(request);
                    int epochs = (int) request.queryLong("epochs", 1, 1000).orElse(1);
                    auth.authorizeUpload(token, new PublisherAuth.Upload(epochs,
                            request.query("send_object_to").map(Address::parse), request.contentLength()));
                    return Response.text(200, "stored " + request.body().length);
                }))
                .put("/guarded", auth.guard(request -> Response.text(200, "ok")))
                .start();
        return server.uri();
    }

    private HttpResponse<String> put(URI base, String path, String token, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String token(String extra) {
        return hs256(claims(NOW + 600, "jti-" + System.nanoTime(), extra), SECRET);
    }

    private static void assertRefused(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        JsonNode error;
        try {
            error = JSON.readTree(response.body()).path("error");
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
        assertThat(error.path("status").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(error.path("code").asInt()).isEqualTo(401);
        assertThat(error.path("message").asText()).isNotBlank();
        JsonNode info = error.path("details").path(0);
        assertThat(info.path("reason").asText()).isEqualTo(reason);
        assertThat(info.path("domain").asText()).isEqualTo("auth.publisher.walrus.space");
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer realm=");
    }

    @Test
    void shouldRefuseRequestsWithoutABearerToken() {
        URI base = serve(PublisherAuthConfig.secret(new String(SECRET, StandardCharsets.UTF_8)));
        HttpResponse<String> none = put(base, "/v1/blobs", null, new byte[10]);
        assertRefused(none, "MISSING_TOKEN");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tusk-publisher\"");
        HttpResponse<String> basic = send(HttpRequest.newBuilder(base.resolve("/v1/blobs"))
                .header("Authorization", "Basic dXNlcjpwYXNz").PUT(HttpRequest.BodyPublishers.ofString("x")).build());
        assertRefused(basic, "MISSING_TOKEN");
        assertRefused(put(base, "/guarded", null, new byte[1]), "MISSING_TOKEN");
    }

    @Test
    void shouldAcceptAValidTokenAgainWithoutUploadVerification() {
        URI base = serve(PublisherAuthConfig.secret(new String(SECRET, StandardCharsets.UTF_8)));
        String token = token("");
        assertThat(put(base, "/v1/blobs", token, new byte[10]).body()).isEqualTo("stored 10");
        // Without --jwt-verify-upload a valid unexpired token is enough, even a second time and beyond its claims.
        assertThat(put(base, "/v1/blobs", token, new byte[10]).statusCode()).isEqualTo(200);
        String limited = token("\"max_size\":5,\"epochs\":2");
        assertThat(put(base, "/v1/blobs?epochs=9", limited, new byte[10]).statusCode()).isEqualTo(200);
        assertThat(put(base, "/guarded", token, new byte[1]).body()).isEqualTo("ok");
    }

    @Test
    void shouldRefuseBadSignaturesExpiredTokensAndGarbage() {
        URI base = serve(PublisherAuthConfig.secret("0x" + java.util.HexFormat.of().formatHex(SECRET)));
        HttpResponse<String> forged = put(base, "/v1/blobs", hs256(claims(NOW + 600, "a", ""), "guess".getBytes()),
                new byte[1]);
        assertRefused(forged, "INVALID_SIGNATURE");
        assertThat(forged.headers().firstValue("WWW-Authenticate")).get().asString()
                .contains("error=\"invalid_token\"");
        assertRefused(put(base, "/v1/blobs", hs256(claims(NOW, "b", ""), SECRET), new byte[1]), "EXPIRED_SIGNATURE");
        assertThat(put(base, "/v1/blobs", hs256(claims(NOW + 1, "c", ""), SECRET), new byte[1]).statusCode())
                .isEqualTo(200);
        clock.set(NOW + 1);
        assertRefused(put(base, "/v1/blobs", hs256(claims(NOW + 1, "c", ""), SECRET), new byte[1]), "EXPIRED_SIGNATURE");
        assertRefused(put(base, "/v1/blobs", "not.a.jwt", new byte[1]), "INVALID_TOKEN");
        // Without --jwt-verify-upload no jti is needed: a valid token with exp in the future is enough.
        assertThat(put(base, "/v1/blobs", hs256("{\"exp\":" + (NOW + 600) + "}", SECRET), new byte[1]).statusCode())
                .isEqualTo(200);
        assertRefused(put(base, "/v1/blobs", hs256("{\"exp\":" + (NOW + 600) + ",\"jti\":7}", SECRET), new byte[1]),
                "INVALID_TOKEN");
        assertRefused(put(base, "/v1/blobs", hs256("{\"exp\":\"soon\",\"jti\":\"d\"}", SECRET), new byte[1]),
                "INVALID_TOKEN");
        assertRefused(put(base, "/v1/blobs", token("\"size\":1,\"max_size\":2"), new byte[1]), "INCONSISTENT_TOKEN");
    }

    @Test
    void shouldRequireTokensToLiveExactlyExpiringSec() {
        URI base = serve(new PublisherAuthConfig(new String(SECRET, StandardCharsets.UTF_8), JwtAlgorithm.HS256, 60,
                false, 100));
        assertRefused(put(base, "/v1/blobs", hs256(claims(NOW + 60, "e", ""), SECRET), new byte[1]), "INVALID_TOKEN");
        assertRefused(put(base, "/v1/blobs", hs256(claims(NOW + 120, "f", "\"iat\":" + NOW), SECRET), new byte[1]),
                "INVALID_EXPIRATION");
        assertThat(put(base, "/v1/blobs", hs256(claims(NOW + 60, "g", "\"iat\":" + NOW), SECRET), new byte[1])
                .statusCode()).isEqualTo(200);
    }

    @Test
    void shouldCheckTheUploadAgainstTheClaimsAndUseATokenOnce() {
        URI base = serve(new PublisherAuthConfig(new String(SECRET, StandardCharsets.UTF_8), JwtAlgorithm.HS256, 0,
                true, 100));
        assertRefused(put(base, "/v1/blobs?epochs=3", token("\"epochs\":2"), new byte[1]), "INVALID_EPOCHS");
        assertRefused(put(base, "/v1/blobs", token("\"epochs\":2"), new byte[1]), "INVALID_EPOCHS"); // default 1
        assertThat(put(base, "/v1/blobs?epochs=2", token("\"epochs\":2"), new byte[1]).statusCode()).isEqualTo(200);
        assertRefused(put(base, "/v1/blobs?epochs=6", token("\"max_epochs\":5"), new byte[1]), "INVALID_EPOCHS");
        assertThat(put(base, "/v1/blobs?epochs=5", token("\"max_epochs\":5"), new byte[1]).statusCode()).isEqualTo(200);
        assertRefused(put(base, "/v1/blobs", token("\"epochs\":1,\"max_epochs\":5"), new byte[1]), "INCONSISTENT_TOKEN");

        assertRefused(put(base, "/v1/blobs", token("\"size\":10"), new byte[11]), "INVALID_SIZE");
        assertRefused(put(base, "/v1/blobs", token("\"size\":10"), new byte[9]), "INVALID_SIZE");
        assertThat(put(base, "/v1/blobs", token("\"size\":10"), new byte[10]).body()).isEqualTo("stored 10");
        assertRefused(put(base, "/v1/blobs", token("\"max_size\":10"), new byte[11]), "INVALID_SIZE");
        assertThat(put(base, "/v1/blobs", token("\"max_size\":10"), new byte[3]).body()).isEqualTo("stored 3");
        // A body without a Content-Length (chunked) cannot be checked before it is read: refused.
        HttpResponse<String> chunked = send(HttpRequest.newBuilder(base.resolve("/v1/blobs"))
                .header("Authorization", "Bearer " + token("\"max_size\":10"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[3]))).build());
        assertRefused(chunked, "INVALID_SIZE");

        String sendTo = "\"send_object_to\":\"" + OWNER + "\"";
        assertRefused(put(base, "/v1/blobs", token(sendTo), new byte[1]), "INVALID_SEND_OBJECT_TO");
        assertRefused(put(base, "/v1/blobs?send_object_to=0x2", token(sendTo), new byte[1]), "INVALID_SEND_OBJECT_TO");
        assertThat(put(base, "/v1/blobs?send_object_to=0x1", token(sendTo), new byte[1]).statusCode()).isEqualTo(200);

        // One token, one store; a request the token refused did not use it up.
        String once = token("\"epochs\":4");
        assertRefused(put(base, "/v1/blobs?epochs=3", once, new byte[1]), "INVALID_EPOCHS");
        assertThat(put(base, "/v1/blobs?epochs=4", once, new byte[1]).statusCode()).isEqualTo(200);
        assertRefused(put(base, "/v1/blobs?epochs=4", once, new byte[1]), "TOKEN_ALREADY_USED");
        String guarded = token("");
        assertThat(put(base, "/guarded", guarded, new byte[1]).statusCode()).isEqualTo(200);
        assertRefused(put(base, "/guarded", guarded, new byte[1]), "TOKEN_ALREADY_USED");
        // With uploads verified a token must carry a jti (else it could store any number of times).
        assertRefused(put(base, "/v1/blobs", hs256("{\"exp\":" + (NOW + 600) + "}", SECRET), new byte[1]),
                "INVALID_TOKEN");
    }

    @Test
    void shouldRefuseNewTokensWhileTheCacheIsFullOfUnexpiredOnes() {
        URI base = serve(new PublisherAuthConfig(new String(SECRET, StandardCharsets.UTF_8), JwtAlgorithm.HS256, 0,
                true, 2));
        assertThat(put(base, "/v1/blobs", hs256(claims(NOW + 10, "1", ""), SECRET), new byte[1]).statusCode()).isEqualTo(200);
        assertThat(put(base, "/v1/blobs", hs256(claims(NOW + 20, "2", ""), SECRET), new byte[1]).statusCode()).isEqualTo(200);
        HttpResponse<String> full = put(base, "/v1/blobs", hs256(claims(NOW + 30, "3", ""), SECRET), new byte[1]);
        assertThat(full.statusCode()).as(full.body()).isEqualTo(429);
        assertThat(full.body()).contains("TOO_MANY_REQUESTS").contains("jwtCacheSize");
        clock.set(NOW + 10); // token 1 expired: its entry can go
        assertThat(put(base, "/v1/blobs", hs256(claims(NOW + 30, "3", ""), SECRET), new byte[1]).statusCode()).isEqualTo(200);
        assertRefused(put(base, "/v1/blobs", hs256(claims(NOW + 30, "3", ""), SECRET), new byte[1]), "TOKEN_ALREADY_USED");
    }

    @Test
    void shouldRefuseATokenUsedBeforeARestartWhenTheUsedIdsAreOnDisk(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        PublisherAuthConfig config = new PublisherAuthConfig(new String(SECRET, StandardCharsets.UTF_8),
                JwtAlgorithm.HS256, 0, true, 100);
        java.nio.file.Path file = dir.resolve("used-ids");
        String early = hs256(claims(NOW + 10, "early", ""), SECRET);
        String late = hs256(claims(NOW + 600, "late", ""), SECRET);
        PublisherAuth first = new PublisherAuth(config, clock::get, file);
        URI base = serve(first);
        assertThat(put(base, "/v1/blobs", early, new byte[1]).statusCode()).isEqualTo(200);
        assertThat(put(base, "/v1/blobs", late, new byte[1]).statusCode()).isEqualTo(200);
        server.close();
        first.close();

        // a new publisher on the same file, as after a restart
        clock.set(NOW + 10); // the early token has expired by now (refused as expired, and dropped from the file)
        PublisherAuth second = new PublisherAuth(config, clock::get, file);
        base = serve(second);
        assertRefused(put(base, "/v1/blobs", late, new byte[1]), "TOKEN_ALREADY_USED");
        assertRefused(put(base, "/v1/blobs", early, new byte[1]), "EXPIRED_SIGNATURE");
        assertThat(put(base, "/v1/blobs", hs256(claims(NOW + 600, "new", ""), SECRET), new byte[1]).statusCode())
                .isEqualTo(200);
        assertThat(second.usedTokens()).isEqualTo(2); // late and new
        second.close();
    }

    @Test
    void shouldCheckClaimsButNotSignaturesWithoutASecret() {
        URI base = serve(new PublisherAuthConfig(null, JwtAlgorithm.HS256, 0, true, 100));
        String unsigned = hs256(claims(NOW + 600, "u", "\"max_size\":4"), "anything".getBytes());
        assertThat(put(base, "/v1/blobs", unsigned, new byte[4]).statusCode()).isEqualTo(200);
        assertRefused(put(base, "/v1/blobs", hs256(claims(NOW + 600, "v", "\"max_size\":4"), "x".getBytes()),
                new byte[5]), "INVALID_SIZE");
        assertRefused(put(base, "/v1/blobs", hs256(claims(NOW - 1, "w", ""), "x".getBytes()), new byte[1]),
                "EXPIRED_SIGNATURE");
        assertRefused(put(base, "/v1/blobs", null, new byte[1]), "MISSING_TOKEN");
    }

    @Test
    void shouldLetEverythingThroughWhenOff() {
        URI base = serve(PublisherAuthConfig.NONE);
        assertThat(put(base, "/v1/blobs", null, new byte[2]).body()).isEqualTo("stored 2");
        assertThat(put(base, "/v1/blobs", "garbage", new byte[2]).body()).isEqualTo("stored 2");
        assertThat(PublisherAuthConfig.NONE.enabled()).isFalse();
        assertThat(PublisherAuthConfig.secret("topsecret-value").toString()).doesNotContain("topsecret").contains("HS256");
    }
}
