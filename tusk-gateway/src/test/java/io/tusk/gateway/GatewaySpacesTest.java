package io.tusk.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tusk.client.ClientConfig;
import io.tusk.client.TuskClient;
import io.tusk.control.api.Command;
import io.tusk.control.api.SpaceHead;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.EntryProof;
import io.tusk.spaces.EntryProofs;
import io.tusk.spaces.Space;
import io.tusk.spaces.Spaces;
import io.tusk.spaces.VerifyOptions;
import io.tusk.spaces.VerifyReport;
import io.tusk.spaces.store.AggregatorBlobSource;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.tusk.gateway.GatewayHttp.assertError;
import static io.tusk.gateway.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The spaces HTTP API on real sockets against a real four-node {@link LocalCluster}, and a gateway that lies. */
class GatewaySpacesTest extends GatewayOnClusterTest {
    private String owner;

    @BeforeAll
    void findOwner() {
        owner = json(http.get("/v1/spaces")).path("owner").asText();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String base(String space) {
        return "/v1/spaces/" + owner + "/" + space;
    }

    private HttpResponse<byte[]> post(String path, String json) {
        return http.send("POST", path, utf8(json), "Content-Type", "application/json");
    }

    @Test
    void shouldCreatePutGetListAndDelete() {
        assertThat(post("/v1/spaces", "{\"name\":\"web\"}").statusCode()).isEqualTo(201);
        assertError(post("/v1/spaces", "{\"name\":\"web\"}"), 409, "ALREADY_EXISTS");
        assertError(post("/v1/spaces", "{\"name\":\"bad/name\"}"), 400, "INVALID_ARGUMENT");

        HttpResponse<byte[]> put = http.put(base("web") + "/entry?key=" + q("docs/a b.txt"), utf8("hello"),
                "Content-Type", "text/plain", "X-Tusk-Meta-Color", "blue");
        assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(200);
        JsonNode committed = json(put);
        assertThat(committed.path("version").asLong()).isEqualTo(1);
        String etag = committed.path("etag").asText();

        HttpResponse<byte[]> got = http.get(base("web") + "/entry?key=" + q("docs/a b.txt"));
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(utf8("hello"));
        assertThat(got.headers().firstValue("ETag")).hasValue("\"" + etag + "\"");
        assertThat(got.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(got.headers().firstValue("X-Tusk-Meta-color")).hasValue("blue");
        HttpResponse<byte[]> head = http.head(base("web") + "/entry?key=" + q("docs/a b.txt"));
        assertThat(head.headers().firstValue("Content-Length")).hasValue("5");

        assertError(http.put(base("web") + "/entry?key=" + q("docs/a b.txt"), utf8("x"), "If-None-Match", "*"), 400,
                "CONDITION_NOT_MET");
        assertThat(http.put(base("web") + "/entry?key=" + q("docs/a b.txt"), utf8("hello again"), "If-Match",
                "\"" + etag + "\"").statusCode()).isEqualTo(200);
        http.put(base("web") + "/entry?key=" + q("docs/b.txt"), utf8("b"));
        http.put(base("web") + "/entry?key=top", utf8("t"));

        JsonNode listing = json(http.get(base("web") + "/entries?delimiter=/"));
        assertThat(listing.path("commonPrefixes").get(0).asText()).isEqualTo("docs/");
        assertThat(listing.path("entries").get(0).path("key").asText()).isEqualTo("top");
        JsonNode docs = json(http.get(base("web") + "/entries?prefix=docs/&limit=1"));
        assertThat(docs.path("entries")).hasSize(1);
        assertThat(docs.path("nextStartAfter").asText()).isEqualTo("docs/a b.txt");

        assertThat(http.get(base("web") + "/entry?key=" + q("docs/a b.txt") + "&at=1").body()).isEqualTo(utf8("hello"));
        JsonNode history = json(http.get(base("web") + "/history"));
        assertThat(history.path("versions").get(0).path("version").asLong()).isEqualTo(4);
        JsonNode diff = json(http.get(base("web") + "/diff?from=1&to=4"));
        assertThat(diff.path("changes")).hasSize(3);

        assertThat(http.send("DELETE", base("web") + "/entry?key=top", null).statusCode()).isEqualTo(200);
        assertError(http.send("DELETE", base("web") + "/entry?key=top", null), 404, "ENTRY_NOT_FOUND");
        assertError(http.get(base("web") + "/entry?key=top"), 404, "ENTRY_NOT_FOUND");
        assertThat(json(post(base("web") + "/tags", "{\"tag\":\"v1\",\"version\":1}")).path("version").asLong()).isEqualTo(6);
        assertThat(json(post(base("web") + "/restore", "{\"version\":1}")).path("version").asLong()).isEqualTo(7);
        assertThat(http.get(base("web") + "/entry?key=" + q("docs/a b.txt")).body()).isEqualTo(utf8("hello"));
        assertThat(json(http.get(base("web") + "/verify")).path("ok").asBoolean()).isTrue();
    }

    @Test
    void shouldRefuseBadInputClearly() throws Exception {
        post("/v1/spaces", "{\"name\":\"strict\"}");
        assertError(http.get(base("nope")), 404, "SPACE_NOT_FOUND");
        assertError(http.get("/v1/spaces/not-an-address/strict"), 400, "INVALID_ARGUMENT");
        assertError(http.put(base("strict") + "/entry?key=" + "k".repeat(1100), utf8("x")), 400, "INVALID_ARGUMENT");
        assertError(http.put(base("strict") + "/entry", utf8("x")), 400, "MALFORMED_REQUEST");
        assertError(http.get(base("strict") + "/entry?key=k&at=yesterday"), 400, "INVALID_ARGUMENT");
        // A space of another account: readable through the gateway, not writable.
        Ed25519KeyPair other = Ed25519KeyPair.generate(new SecureRandom());
        try (TuskClient client = new TuskClient(ClientConfig.of(cluster.controlUrl(), other))) {
            client.submit(new Command.Faucet(1_000_000_000L));
            new Spaces(client).create("theirs", false).put("k", utf8("v"));
            String path = "/v1/spaces/" + other.publicKey().address() + "/theirs";
            assertThat(http.get(path + "/entry?key=k").body()).isEqualTo(utf8("v"));
            assertError(http.put(path + "/entry?key=k", utf8("mine")), 403, "NOT_SPACE_OWNER");
        }
        assertThat(json(http.get(base("strict"))).path("version").asLong()).isZero();
    }

    @Test
    void shouldAppendToAndLongPollAStream() throws Exception {
        post("/v1/spaces", "{\"name\":\"feed\"}");
        String stream = base("feed") + "/streams/temps";
        JsonNode appended = json(http.send("POST", stream, utf8("20.5\n21.0\n")));
        assertThat(appended.path("firstOffset").asLong()).isZero();
        assertThat(appended.path("count").asInt()).isEqualTo(2);
        JsonNode read = json(http.get(stream + "?from=0"));
        assertThat(read.path("records")).hasSize(2);
        assertThat(read.path("nextOffset").asLong()).isEqualTo(2);
        // A reader waiting at the end gets the next record as soon as it is appended.
        CompletableFuture<HttpResponse<byte[]>> waiting = CompletableFuture.supplyAsync(() ->
                http.get(stream + "?from=2&waitMillis=20000"));
        Thread.sleep(300);
        http.send("POST", stream, utf8("22.5\n"));
        JsonNode next = json(waiting.get());
        assertThat(next.path("records")).hasSize(1);
        assertThat(new String(Base64.getDecoder().decode(next.path("records").get(0).path("data").asText()),
                StandardCharsets.UTF_8)).isEqualTo("22.5");
        assertThat(next.path("records").get(0).path("offset").asLong()).isEqualTo(2);
    }

    @Test
    void shouldServeProofsThatACheckerAcceptsWithTheHeadFromTheControlPlane() throws Exception {
        post("/v1/spaces", "{\"name\":\"proven\"}");
        for (int i = 0; i < 50; i++) {
            http.put(base("proven") + "/entry?key=k" + i, utf8("v" + i));
        }
        JsonNode proof = json(http.get(base("proven") + "/proof?key=k7"));
        List<byte[]> path = new ArrayList<>();
        proof.path("path").forEach(p -> path.add(Base64.getDecoder().decode(p.asText())));
        EntryProof parsed = new EntryProof(proof.path("owner").asText(), proof.path("name").asText(),
                proof.path("version").asLong(), proof.path("manifestBlobId").asText(),
                Base64.getDecoder().decode(proof.path("manifest").asText()), path, proof.path("key").asText());
        try (TuskClient client = cluster.client()) {
            SpaceHead head = client.control().space(owner, "proven").orElseThrow();
            assertThat(EntryProofs.check(parsed, head, client.committeeInfo().shardCount(), null))
                    .hasValueSatisfying(e -> assertThat(e.size()).isEqualTo(2));
        }
    }

    /**
     * The scenario: a gateway that forges one manifest. Reading through it, {@code verify} re-derives every
     * blob ID and reports the forged version; through the honest gateway the same chain verifies.
     */
    @Test
    void verifyCatchesAForgedManifestServedByALyingGateway() throws Exception {
        post("/v1/spaces", "{\"name\":\"audited\"}");
        List<String> manifests = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            manifests.add(json(http.put(base("audited") + "/entry?key=k" + i, utf8("value " + i))).path("manifestBlobId").asText());
        }
        BlobId forged = BlobId.parse(manifests.get(1)); // version 2
        HttpServer liar = lyingProxy(gateway.uri(), forged);
        try (TuskClient client = cluster.client()) {
            Space space = new Spaces(client).open(owner, "audited");
            int n = client.committeeInfo().shardCount();
            URI lying = URI.create("http://127.0.0.1:" + liar.getAddress().getPort());
            VerifyReport caught = space.verify(VerifyOptions.defaults().withSource(new AggregatorBlobSource(lying, n)));
            assertThat(caught.ok()).isFalse();
            assertThat(caught.firstBreak().version()).isEqualTo(2);
            assertThat(caught.firstBreak().detail()).contains(forged.toString());
            VerifyReport honest = space.verify(VerifyOptions.defaults().withSource(new AggregatorBlobSource(gateway.uri(), n)));
            assertThat(honest.ok()).as(String.valueOf(honest.firstBreak())).isTrue();
            assertThat(honest.versionsChecked()).isEqualTo(4);
        } finally {
            liar.stop(0);
        }
    }

    /** A proxy for the aggregator's {@code GET /v1/blobs/{id}} that flips a byte of one blob and passes the rest. */
    private static HttpServer lyingProxy(URI target, BlobId forged) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpClient client = HttpClient.newHttpClient();
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getRawPath();
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(target.resolve(path)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                byte[] body = response.body();
                if (path.equals("/v1/blobs/" + forged)) {
                    body = body.clone();
                    body[body.length / 2] ^= 0x01;
                }
                exchange.sendResponseHeaders(response.statusCode(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return server;
    }
}
