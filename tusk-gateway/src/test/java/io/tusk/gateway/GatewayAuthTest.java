package io.tusk.gateway;

import io.tusk.gateway.auth.PublisherAuthConfig;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static io.tusk.gateway.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway on a real network with the publisher's JWT authentication on ({@code --jwt-decode-secret}): every route
 * that spends its funds (blob and quilt stores, space writes) wants a token; reads, space reads and the upload relay
 * stay open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayAuthTest {
    private static final String SECRET = "a devnet secret";

    private LocalCluster cluster;
    private Gateway gateway;
    private GatewayHttp http;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        cluster = LocalCluster.start(dir.resolve("cluster"), 4, 16, 0, 0);
        gateway = Gateway.start(GatewayConfig.of(cluster.controlUrl(), cluster.directory().resolve("wallet.key"))
                .withPort(0).withAuth(PublisherAuthConfig.secret(SECRET)));
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
