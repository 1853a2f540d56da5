package io.tusk.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.gateway.auth.PublisherAuthConfig;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.tusk.gateway.GatewayHttp.assertError;
import static io.tusk.gateway.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory HTTP API on real sockets: a gateway on a real four-node {@link LocalCluster}, the real embedding model,
 * memories committed to real spaces. Remember (one, batch, dedup), recall with read-your-writes, filters and as-of,
 * update, forget, history, and every refusal with its AIP-193 reason; a second gateway with JWT on guards the writes.
 */
class GatewayMemoryTest extends GatewayOnClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "a memory secret";

    private String owner;

    @BeforeAll
    void warmUp() {
        owner = json(http.get("/v1/spaces")).path("owner").asText();
        // The first memory request loads the embedding model and creates a space: on a loaded machine that can take
        // longer than one request's timeout in the tests below, so it is done here, with a generous one.
        long t0 = System.nanoTime();
        HttpResponse<byte[]> warm = GatewayHttp.send(java.net.http.HttpRequest.newBuilder(
                        gateway.uri().resolve(base("warm-up") + "/remember"))
                .timeout(java.time.Duration.ofMinutes(5)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body(Map.of("text", "warm-up")))).build());
        ok(warm);
        System.out.printf("first memory request (model load, space creation) took %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
    }

    private String base(String collection) {
        return "/v1/memory/" + owner + "/" + collection;
    }

    private static byte[] body(Object json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> post(String path, Object json, String... headers) {
        String[] all = Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = "application/json";
        return http.send("POST", path, body(json), all);
    }

    private static JsonNode ok(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return json(response);
    }

    private JsonNode recall(String collection, Map<String, Object> request) {
        return ok(post(base(collection) + "/recall", request));
    }

    private static List<String> ids(JsonNode recalled) {
        List<String> ids = new ArrayList<>();
        recalled.path("memories").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    @Test
    void shouldRememberAndRecallWithReadYourWrites() {
        JsonNode one = ok(post(base("diary") + "/remember", Map.of("text", "My sister Hana moved to Lisbon in May",
                "metadata", Map.of("topic", "family", "year", 2026))));
        String hana = one.path("id").asText();
        long sequence = one.path("sequence").asLong();
        assertThat(one.path("deduplicated").asBoolean()).isFalse();
        assertThat(sequence).isPositive();

        JsonNode batch = ok(post(base("diary") + "/remember", Map.of("memories", List.of(
                Map.of("text", "The dog is called Pepper and loves the beach", "metadata", Map.of("topic", "pets")),
                Map.of("text", "I am allergic to peanuts", "metadata", Map.of("topic", "health")),
                Map.of("text", "The dog is called Pepper and loves the beach")))));
        JsonNode results = batch.path("memories");
        assertThat(results).hasSize(3);
        assertThat(results.get(2).path("deduplicated").asBoolean()).as("an exact duplicate in the batch").isTrue();
        assertThat(results.get(2).path("id").asText()).isEqualTo(results.get(0).path("id").asText());
        long batchSequence = batch.path("sequence").asLong();
        assertThat(batchSequence).isGreaterThan(sequence);

        JsonNode recalled = recall("diary", Map.of("query", "Where does Hana live now?", "topK", 2,
                "minSequence", batchSequence));
        assertThat(recalled.path("sequence").asLong()).isGreaterThanOrEqualTo(batchSequence);
        assertThat(ids(recalled).getFirst()).isEqualTo(hana);
        JsonNode best = recalled.path("memories").get(0);
        assertThat(best.path("text").asText()).isEqualTo("My sister Hana moved to Lisbon in May");
        assertThat(best.path("score").asDouble()).isBetween(0.5, 1.0);
        assertThat(best.path("metadata").path("year").asLong()).isEqualTo(2026);
        assertThat(best.path("recordedTo").isNull()).isTrue();

        // The same question by GET, and a metadata filter that leaves only the pets
        JsonNode byGet = ok(http.get(base("diary") + "/recall?query=Hana%20Lisbon&topK=1"));
        assertThat(ids(byGet)).containsExactly(hana);
        JsonNode pets = recall("diary", Map.of("query", "Where does Hana live now?",
                "filter", Map.of("topic", Map.of("$in", List.of("pets", "nothing")))));
        assertThat(ids(pets)).containsExactly(results.get(0).path("id").asText());
        JsonNode recent = recall("diary", Map.of("query", "anything",
                "filter", Map.of("$and", List.of(Map.of("year", Map.of("$gte", 2000)), Map.of("topic", "family"))))); 
        assertThat(ids(recent)).containsExactly(hana);

        JsonNode got = ok(http.get(base("diary") + "/memories/" + hana));
        assertThat(got.path("text").asText()).isEqualTo("My sister Hana moved to Lisbon in May");
        JsonNode info = ok(http.get(base("diary")));
        assertThat(info.path("memories").asInt()).isEqualTo(3);
        assertThat(info.path("dimension").asInt()).isEqualTo(384);
        assertThat(info.path("encrypted").asBoolean()).as("created encrypted on first remember").isTrue();
    }

    @Test
    void shouldSupersedeRecallAsOfAndForget() throws InterruptedException {
        String id = ok(post(base("moves") + "/remember", Map.of("text", "Rui lives in Porto"))).path("id").asText();
        Instant before = Instant.now();
        Thread.sleep(5); // recorded times are milliseconds: the update must land after 'before'
        JsonNode updated = ok(http.send("PUT", base("moves") + "/memories/" + id,
                body(Map.of("text", "Rui lives in Oslo")), "Content-Type", "application/json"));
        long sequence = updated.path("sequence").asLong();

        JsonNode now = recall("moves", Map.of("query", "Where does Rui live?", "minSequence", sequence));
        assertThat(now.path("memories").get(0).path("text").asText()).isEqualTo("Rui lives in Oslo");
        assertThat(now.path("memories")).hasSize(1);
        JsonNode then = recall("moves", Map.of("query", "Where does Rui live?", "asOf", before.toString()));
        assertThat(then.path("memories").get(0).path("text").asText()).isEqualTo("Rui lives in Porto");
        assertThat(then.path("memories").get(0).path("recordedTo").asText()).isNotEmpty();

        JsonNode history = ok(http.get(base("moves") + "/memories/" + id + "/history"));
        assertThat(history.path("revisions")).hasSize(2);
        assertThat(history.path("revisions").get(0).path("text").asText()).isEqualTo("Rui lives in Porto");
        assertThat(ok(http.get(base("moves") + "/history?limit=10")).path("revisions")).hasSize(2);

        JsonNode forgot = ok(http.send("DELETE", base("moves") + "/memories/" + id, null));
        assertThat(forgot.path("sequence").asLong()).isGreaterThan(sequence);
        assertThat(recall("moves", Map.of("query", "Where does Rui live?")).path("memories")).isEmpty();
        assertThat(recall("moves", Map.of("query", "Where does Rui live?", "asOf", before.toString()))
                .path("memories")).as("forget takes the whole history").isEmpty();
        assertError(http.get(base("moves") + "/memories/" + id), 404, "MEMORY_NOT_FOUND");
        assertError(http.get(base("moves") + "/memories/" + id + "/history"), 404, "MEMORY_NOT_FOUND");
        assertError(http.send("DELETE", base("moves") + "/memories/" + id, null), 404, "MEMORY_NOT_FOUND");
    }

    @Test
    void shouldRefuseBadRequestsWithReasonsAndKeepServing() {
        ok(post(base("strict") + "/remember", Map.of("text", "a first memory fixes the collection")));
        float[] wrong = new float[768];
        wrong[0] = 1;
        JsonNode mismatch = assertError(post(base("strict") + "/remember", Map.of("text", "x", "embedding", wrong)),
                400, "DIMENSION_MISMATCH");
        assertThat(mismatch.path("message").asText()).contains("384").contains("768");
        assertError(post(base("strict") + "/recall", Map.of("vector", wrong)), 400, "DIMENSION_MISMATCH");

        assertError(http.send("POST", base("strict") + "/remember", "{not json".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json"), 400, "INVALID_ARGUMENT");
        assertError(post(base("strict") + "/remember", Map.of("txt", "typo")), 400, "INVALID_ARGUMENT");
        assertError(post(base("strict") + "/remember", Map.of()), 400, "INVALID_ARGUMENT");
        assertError(post(base("strict") + "/remember", Map.of("text", "x", "metadata", Map.of("k", List.of(1)))),
                400, "INVALID_ARGUMENT");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i <= MemoryRoutes.MAX_BATCH; i++) {
            tooMany.add(Map.of("text", "memory " + i));
        }
        JsonNode batch = assertError(post(base("strict") + "/remember", Map.of("memories", tooMany)), 400,
                "INVALID_ARGUMENT");
        assertThat(batch.path("message").asText()).contains(Integer.toString(MemoryRoutes.MAX_BATCH));
        assertError(post(base("strict") + "/recall", Map.of("query", "x", "topK", 0)), 400, "INVALID_ARGUMENT");
        assertError(post(base("strict") + "/recall", Map.of("query", "x", "asOf", "yesterday")), 400,
                "INVALID_ARGUMENT");
        assertError(post(base("strict") + "/recall", Map.of("query", "x", "filter", Map.of("k", Map.of("$near", 1)))),
                400, "INVALID_ARGUMENT");
        assertError(post(base("strict") + "/recall", Map.of()), 400, "INVALID_ARGUMENT");
        // query parameters are checked by the gateway's parameter parsers: MALFORMED_REQUEST, as on its other routes
        assertError(http.get(base("strict") + "/recall?query=x&top=3"), 400, "MALFORMED_REQUEST");
        assertError(http.get(base("strict") + "/recall?query=x&topK=0"), 400, "MALFORMED_REQUEST");

        long head = ok(http.get(base("strict"))).path("sequence").asLong();
        JsonNode ahead = assertError(post(base("strict") + "/recall", Map.of("query", "x", "minSequence", head + 1000,
                "waitMillis", 200)), 504, "SEQUENCE_NOT_REACHED");
        assertThat(ahead.path("message").asText()).contains(Long.toString(head + 1000));

        assertError(post(base("no-such-collection") + "/recall", Map.of("query", "x")), 404, "SPACE_NOT_FOUND");
        assertError(http.get(base("strict") + "/memories/0000000000000000nope"), 404, "MEMORY_NOT_FOUND");
        assertError(http.get(base("strict") + "/memories/bad%20id"), 400, "INVALID_ARGUMENT");
        assertError(http.get("/v1/memory/not-an-address/strict"), 400, "INVALID_ARGUMENT");

        byte[] huge = new byte[(int) MemoryRoutes.MAX_REMEMBER_BODY_BYTES + 1];
        Arrays.fill(huge, (byte) 'a');
        assertThat(http.send("POST", base("strict") + "/remember", huge, "Content-Type", "application/json")
                .statusCode()).isEqualTo(413);

        // still serving, and nothing of the refused writes landed
        assertThat(ok(http.get(base("strict"))).path("memories").asInt()).isEqualTo(1);
    }

    @Test
    void shouldWantATokenForMemoryWritesButNotForRecall(@TempDir Path dir) throws IOException {
        ok(post(base("guarded") + "/remember", Map.of("text", "written through the open gateway")));
        try (Gateway guarded = Gateway.start(defaultGatewayConfig().withAuth(PublisherAuthConfig.secret(SECRET)))) {
            GatewayHttp auth = new GatewayHttp(guarded.uri());
            String path = base("guarded");
            for (HttpResponse<byte[]> refused : List.of(
                    auth.send("POST", path + "/remember", body(Map.of("text", "x")), "Content-Type", "application/json"),
                    auth.send("PUT", path + "/memories/abc", body(Map.of("text", "x")), "Content-Type",
                            "application/json"),
                    auth.send("DELETE", path + "/memories/abc", null))) {
                assertThat(refused.statusCode()).as(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo(401);
                assertThat(json(refused).path("error").path("details").path(0).path("reason").asText())
                        .isEqualTo("MISSING_TOKEN");
            }
            JsonNode recalled = ok(auth.send("POST", path + "/recall", body(Map.of("query", "open gateway")),
                    "Content-Type", "application/json"));
            assertThat(recalled.path("memories").get(0).path("text").asText())
                    .isEqualTo("written through the open gateway");
        }
    }
}
