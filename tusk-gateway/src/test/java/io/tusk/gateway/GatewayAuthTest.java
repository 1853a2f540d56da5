package io.tusk.gateway;

import io.tusk.gateway.auth.PublisherAuthConfig;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.tusk.gateway.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway on a real network with the publisher's JWT authentication on ({@code --jwt-decode-secret}): every route
 * that spends its funds (blob and quilt stores, space writes) wants a token; reads, space reads and the upload relay
 * stay open.
 */
class GatewayAuthTest extends GatewayOnClusterTest {
    private static final String SECRET = "a devnet secret";

    @Override
    GatewayConfig gatewayConfig() {
        return defaultGatewayConfig().withAuth(PublisherAuthConfig.secret(SECRET));
    }

    private static String token() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}")
                .getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertUnauthenticated(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(401);
        assertThat(json(response).path("error").path("details").path(0).path("reason").asText())
                .isEqualTo("MISSING_TOKEN");
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
    }

    @Test
    void shouldWantATokenOnEveryRouteThatSpendsAndNoneOnReads() {
        byte[] body = "guarded".getBytes(StandardCharsets.UTF_8);
        assertUnauthenticated(http.put("/v1/blobs?epochs=1", body));
        assertUnauthenticated(http.send("POST", "/v1/spaces", "{\"name\":\"notes\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json"));
        String owner = "0x" + "ab".repeat(32);
        assertUnauthenticated(http.put("/v1/spaces/" + owner + "/notes/entry?key=a", body));
        assertUnauthenticated(http.send("DELETE", "/v1/spaces/" + owner + "/notes/entry?key=a", null));

        HttpResponse<byte[]> stored = http.put("/v1/blobs?epochs=1", body, "Authorization", "Bearer " + token());
        assertThat(stored.statusCode()).as(new String(stored.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        String blobId = json(stored).path("newlyCreated").path("blobObject").path("blobId").asText();
        HttpResponse<byte[]> created = http.send("POST", "/v1/spaces", "{\"name\":\"notes\"}"
                .getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json", "Authorization", "Bearer " + token());
        assertThat(created.statusCode()).as(new String(created.body(), StandardCharsets.UTF_8)).isEqualTo(201);

        assertThat(http.get("/v1/blobs/" + blobId).body()).isEqualTo(body); // the aggregator stays open
        assertThat(http.get("/v1/spaces").statusCode()).isEqualTo(200);
        assertThat(http.get("/v1/tip-config").statusCode()).isEqualTo(200);
    }
}
