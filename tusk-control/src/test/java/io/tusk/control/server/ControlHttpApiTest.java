package io.tusk.control.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.control.api.Command;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.api.SpaceHead;
import io.tusk.control.client.ControlClient;
import io.tusk.control.state.TestNetwork;
import io.tusk.core.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API on a real socket, fed bad input: every answer is a 4xx, errors are AIP-193, the server keeps serving. */
class ControlHttpApiTest {
    @TempDir
    Path dir;

    private final TestNetwork net = TestNetwork.standard();
    private final Ed25519KeyPair alice = TestNetwork.account(1);
    private TestReplicas replicas;
    private ControlServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        replicas = TestReplicas.single(dir, net.genesis);
        server = replicas.server(0);
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        http.close();
        replicas.close();
    }

    @Test
    void shouldAcceptASignedCommandAndAnswerTheEnvelope() throws Exception {
        HttpResponse<String> r = post(json(net.sign(alice, 0, new Command.Faucet(500))));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = ControlJson.mapper().readTree(r.body());
        assertThat(body.path("success").path("code").asInt()).isEqualTo(200);
        assertThat(body.path("success").path("data").path("index").asLong()).as("its Raft log index").isPositive();
        JsonNode account = ControlJson.mapper().readTree(get("/v1/accounts/" + TestNetwork.address(alice)).body());
        assertThat(account.path("success").path("data").path("balance").asLong()).isEqualTo(500);
        assertThat(account.path("success").path("data").path("nextNonce").asLong()).isEqualTo(1);
    }

    @Test
    void shouldAnswerBadInputWithAip193ErrorsAndKeepServing() throws Exception {
        SignedCommand good = net.sign(alice, 0, new Command.Faucet(500));
        String goodJson = json(good);
        byte[] badSig = good.signature();
        badSig[0] ^= 1;
        String[][] cases = {
                {"{not json", "INVALID_ARGUMENT"},
                {"[]", "INVALID_ARGUMENT"},
                {"", "INVALID_ARGUMENT"},
                {goodJson.replace("}", ",\"extra\":1}"), "INVALID_ARGUMENT"},
                {"{\"payload\":\"!!!\",\"publicKey\":\"AA==\",\"signature\":\"AA==\"}", "INVALID_ARGUMENT"},
                {json(new SignedCommand(good.payload(), good.publicKey(), badSig)), "INVALID_SIGNATURE"},
                {json(net.sign(alice, 0, TestNetwork.registerBlob(1, 10, 1, false))), "UNKNOWN_ACCOUNT"},
                {json(TestNetwork.signPayload(alice, "{\"sender\":1}".getBytes(StandardCharsets.UTF_8))), "INVALID_ARGUMENT"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = post(c[0]);
            assertThat(r.statusCode()).as(c[0]).isBetween(400, 499);
            assertAip193(r, c[1]);
        }
        HttpResponse<String> accepted = post(goodJson);
        assertThat(accepted.statusCode()).isEqualTo(200);
        // the same command again is a retry: its original answer
        HttpResponse<String> retry = post(goodJson);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(accepted.body());
        // another command at a used nonce is a replay
        HttpResponse<String> replay = post(json(net.sign(alice, 0, new Command.Faucet(501))));
        assertThat(replay.statusCode()).isEqualTo(400);
        assertAip193(replay, "BAD_NONCE");
        // unknown object: a command naming something missing is 400 NOT_FOUND
        HttpResponse<String> missing = post(json(net.sign(alice, 1,
                new Command.DeleteBlob("0x" + "00".repeat(32)))));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertAip193(missing, "NOT_FOUND");
        assertThat(get("/v1/health").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldTransferAndAnswerOneAppliedCommandBySenderAndNonce() throws Exception {
        Ed25519KeyPair bob = TestNetwork.account(2);
        assertThat(post(json(net.sign(alice, 0, new Command.Faucet(500)))).statusCode()).isEqualTo(200);
        HttpResponse<String> short_ = post(json(net.sign(alice, 1, new Command.Transfer(TestNetwork.address(bob), 501,
                null))));
        assertThat(short_.statusCode()).isEqualTo(400);
        assertAip193(short_, "INSUFFICIENT_BALANCE");
        byte[] memo = {1, 2, 3};
        HttpResponse<String> paid = post(json(net.sign(alice, 1, new Command.Transfer(TestNetwork.address(bob), 200,
                memo))));
        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(200);

        String path = "/v1/accounts/" + TestNetwork.address(alice) + "/commands/";
        JsonNode applied = ControlJson.mapper().readTree(get(path + "1").body()).path("success").path("data");
        assertThat(applied.path("sender").asText()).isEqualTo(TestNetwork.address(alice));
        assertThat(applied.path("nonce").asLong()).isEqualTo(1);
        assertThat(applied.path("payloadHash").asText()).hasSize(64);
        JsonNode event = applied.path("events").path(0);
        assertThat(event.path("type").asText()).isEqualTo("transferred");
        assertThat(event.path("recipient").asText()).isEqualTo(TestNetwork.address(bob));
        assertThat(event.path("amount").asLong()).isEqualTo(200);
        assertThat(event.path("memo").asText()).isEqualTo(base64(memo));
        JsonNode bobAccount = ControlJson.mapper().readTree(get("/v1/accounts/" + TestNetwork.address(bob)).body());
        assertThat(bobAccount.path("success").path("data").path("balance").asLong()).isEqualTo(200);

        HttpResponse<String> none = get(path + "2");
        assertThat(none.statusCode()).isEqualTo(404);
        assertAip193(none, "NOT_FOUND");
        assertAip193(get(path + "-1"), "INVALID_ARGUMENT");
        assertAip193(get(path + "one"), "INVALID_ARGUMENT");
        assertAip193(get("/v1/accounts/nope/commands/1"), "INVALID_ARGUMENT");
    }

    @Test
    void shouldRejectOversizedBodiesWithoutFallingOver() throws Exception {
        String huge = "{\"payload\":\"" + "A".repeat((int) ControlHttpApi.MAX_COMMAND_BODY_BYTES + 10) + "\"}";
        HttpResponse<String> r = post(huge);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(get("/v1/health").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerQueriesAndTheirErrors() throws Exception {
        assertThat(get("/v1/epoch").statusCode()).isEqualTo(200);
        assertThat(get("/v1/prices").statusCode()).isEqualTo(200);
        JsonNode committee = ControlJson.mapper().readTree(get("/v1/committee").body()).path("success").path("data");
        assertThat(committee.path("members")).hasSize(4);
        assertThat(committee.path("members").path(0).path("shards")).hasSize(25);

        HttpResponse<String> unknownAccount = get("/v1/accounts/0x" + "ab".repeat(32));
        assertThat(unknownAccount.statusCode()).isEqualTo(404);
        assertAip193(unknownAccount, "NOT_FOUND");
        assertAip193(get("/v1/accounts/not-an-address"), "INVALID_ARGUMENT");
        assertAip193(get("/v1/blobs/short"), "INVALID_ARGUMENT");
        assertAip193(get("/v1/objects/0x" + "00".repeat(32)), "NOT_FOUND");
        JsonNode blob = ControlJson.mapper().readTree(get("/v1/blobs/" + TestNetwork.blobId(1, 10)).body());
        assertThat(blob.path("success").path("data").path("status").asText()).isEqualTo("nonexistent");

        assertAip193(get("/v1/events?limit=0"), "INVALID_ARGUMENT");
        assertAip193(get("/v1/events?limit=1001"), "INVALID_ARGUMENT");
        assertAip193(get("/v1/events?waitMillis=999999"), "INVALID_ARGUMENT");
        assertAip193(get("/v1/events?from=-1"), "INVALID_ARGUMENT");
        assertAip193(get("/v1/events?bogus=1"), "INVALID_ARGUMENT");
        JsonNode events = ControlJson.mapper().readTree(get("/v1/events?from=0&limit=10&waitMillis=50").body());
        assertThat(events.path("success").path("data").path("events")).isEmpty();
        assertThat(events.path("success").path("data").path("next").asLong()).isZero();
    }

    @Test
    void shouldAnswerEventsNoLongerKeptWithEventsPrunedAndPageOwnedBlobs(@TempDir Path other) throws Exception {
        try (TestReplicas pruning = new TestReplicas(other, net.genesis, 1, TestReplicas.SETTINGS,
                io.tusk.control.state.StateOptions.defaults().withRetainedEvents(4))) {
            pruning.startAll();
            Ed25519KeyPair bob = TestNetwork.account(2);
            pruning.submit(net.sign(bob, 0, new Command.Faucet(1_000_000_000L)));
            for (int i = 0; i < 12; i++) {
                assertThat(pruning.submit(net.sign(bob, i + 1, TestNetwork.registerBlob(i, 100, 1, false))).accepted())
                        .isTrue();
            }
            String base = pruning.url(0).toString();
            HttpResponse<String> old = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events?from=0")).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(old.statusCode()).isEqualTo(400);
            assertAip193(old, "EVENTS_PRUNED");
            assertThat(ControlJson.mapper().readTree(old.body()).path("error").path("message").asText())
                    .contains("no longer kept");
            // one applied command whose events are gone: EVENTS_PRUNED; the latest one still answers
            String commands = base + "/v1/accounts/" + TestNetwork.address(bob) + "/commands/";
            HttpResponse<String> gone = http.send(HttpRequest.newBuilder(URI.create(commands + "1")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertAip193(gone, "EVENTS_PRUNED");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(commands + "12")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            String owned = base + "/v1/accounts/" + TestNetwork.address(bob) + "/blobs?limit=5";
            JsonNode first = ControlJson.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(owned)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).path("success").path("data");
            assertThat(first.path("blobs")).hasSize(5);
            String next = first.path("next").asText();
            JsonNode second = ControlJson.mapper().readTree(http.send(HttpRequest.newBuilder(
                    URI.create(owned + "&after=" + next)).GET().build(), HttpResponse.BodyHandlers.ofString()).body())
                    .path("success").path("data");
            assertThat(second.path("blobs").path(0).path("id").asText()).isGreaterThan(next);
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(owned + "&after=zz")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertAip193(bad, "INVALID_ARGUMENT");
        }
    }

    @Test
    void shouldAnswerASpaceWithItsInlineVersionsAfterAVersion() throws Exception {
        String owner = TestNetwork.address(alice);
        assertThat(post(json(net.sign(alice, 0, new Command.Faucet(500)))).statusCode()).isEqualTo(200);
        assertThat(post(json(net.sign(alice, 1, new Command.CreateSpace("notes", true)))).statusCode()).isEqualTo(200);
        String one = base64("first".getBytes(StandardCharsets.UTF_8));
        String two = base64("second".getBytes(StandardCharsets.UTF_8));
        String keys = base64(new byte[] {7, 7});
        assertThat(post(json(net.sign(alice, 2, Command.CommitSpace.inline("notes", 0, 10, one, keys)))).statusCode())
                .isEqualTo(200);
        assertThat(post(json(net.sign(alice, 3, Command.CommitSpace.inline("notes", 1, 11, two, null)))).statusCode())
                .isEqualTo(200);
        HttpResponse<String> stale = post(json(net.sign(alice, 4, Command.CommitSpace.inline("notes", 1, 12, two,
                null))));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertAip193(stale, "VERSION_CONFLICT");

        JsonNode head = data(get("/v1/spaces/" + owner + "/notes"));
        assertThat(head.path("version").asLong()).isEqualTo(2);
        assertThat(head.path("manifestVersion").asLong()).isZero();
        assertThat(head.path("inline").isArray()).isTrue();
        assertThat(head.path("inline")).isEmpty();
        JsonNode inline = data(get("/v1/spaces/" + owner + "/notes?inlineAfter=0")).path("inline");
        assertThat(inline).hasSize(2);
        assertThat(inline.path(0).path("version").asLong()).isEqualTo(1);
        assertThat(inline.path(0).path("commitTimeMillis").asLong()).isEqualTo(10);
        assertThat(inline.path(0).path("inline").asText()).isEqualTo(one);
        assertThat(inline.path(0).path("inlineKeys").asText()).isEqualTo(keys);
        assertThat(inline.path(1).path("inline").asText()).isEqualTo(two);
        assertThat(data(get("/v1/spaces/" + owner + "/notes?inlineAfter=1")).path("inline")).hasSize(1);
        JsonNode listed = data(get("/v1/accounts/" + owner + "/spaces")).path("spaces");
        assertThat(listed).hasSize(1);
        assertThat(listed.path(0).path("version").asLong()).isEqualTo(2);
        assertThat(listed.path(0).path("inline")).isEmpty();
        try (ControlClient client = new ControlClient(server.uri())) {
            assertThat(client.space(owner, "notes", 1).orElseThrow().inline())
                    .containsExactly(new SpaceHead.InlineVersion(2, 11, two, null));
        }

        for (String bad : new String[] {"-1", "x", "", "1.5", "99999999999999999999"}) {
            HttpResponse<String> r = get("/v1/spaces/" + owner + "/notes?inlineAfter=" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertAip193(r, "INVALID_ARGUMENT");
            assertThat(ControlJson.mapper().readTree(r.body()).path("error").path("message").asText())
                    .contains("inlineAfter");
        }
        assertAip193(get("/v1/spaces/" + owner + "/notes?inlineafter=1"), "INVALID_ARGUMENT");
        assertAip193(get("/v1/spaces/" + owner + "/missing?inlineAfter=0"), "NOT_FOUND");

        // the largest inline version with the largest keys fits a command (payload and HTTP body limits); nonce 4
        // again: the refused commit above took none
        String largest = base64(new byte[Command.CommitSpace.MAX_INLINE_BYTES]);
        String largestKeys = base64(new byte[Command.CommitSpace.MAX_INLINE_KEY_BYTES]);
        HttpResponse<String> big = post(json(net.sign(alice, 4, Command.CommitSpace.inline("notes", 2, 12, largest,
                largestKeys))));
        assertThat(big.statusCode()).as(big.body()).isEqualTo(200);
        assertThat(data(get("/v1/spaces/" + owner + "/notes?inlineAfter=2")).path("inline").path(0)
                .path("inline").asText()).isEqualTo(largest);
        assertThat(get("/v1/health").statusCode()).isEqualTo(200);
    }

    private static JsonNode data(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ControlJson.mapper().readTree(response.body()).path("success").path("data");
    }

    private static void assertAip193(HttpResponse<String> response, String reason) throws IOException {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/json");
        JsonNode error = ControlJson.mapper().readTree(response.body()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(response.statusCode());
        JsonNode info = error.path("details").path(0);
        assertThat(info.path("reason").asText()).as(response.body()).isEqualTo(reason);
        assertThat(info.path("domain").asText()).isEqualTo("control.tusk.dev");
    }

    private static String json(SignedCommand command) throws IOException {
        return ControlJson.mapper().writeValueAsString(command);
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/v1/commands")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(server.uri().toString().replaceAll("/$", "") + path);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
