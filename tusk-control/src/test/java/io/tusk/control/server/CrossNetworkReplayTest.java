package io.tusk.control.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.control.api.Command;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.client.ControlClient;
import io.tusk.control.state.TestNetwork;
import io.tusk.core.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16.3: signed commands taken from one network are refused by another. Two control planes on real sockets with
 * the same keys and accounts but different genesis times (a devnet made anew); the commands an account sent to the
 * first are replayed byte for byte to the second.
 */
class CrossNetworkReplayTest {
    @TempDir
    Path first;
    @TempDir
    Path second;

    private final Ed25519KeyPair alice = TestNetwork.account(1);

    @Test
    void shouldRefuseCommandsSignedForAnotherNetworkAndChangeNothing() throws Exception {
        TestNetwork oldNet = TestNetwork.standardAt(TestNetwork.GENESIS_TIME);
        TestNetwork freshNet = TestNetwork.standardAt(TestNetwork.GENESIS_TIME + 60_000);
        List<SignedCommand> captured;
        try (ControlServer old = ControlServer.start(first, oldNet.genesis, "127.0.0.1", 0);
             ControlClient client = new ControlClient(old.uri())) {
            String chainId = client.chainId();
            assertThat(chainId).isEqualTo(oldNet.chainId).matches("0x[0-9a-f]{64}");
            captured = List.of(
                    ControlClient.sign(chainId, new Command.Faucet(1_000_000_000L), alice, 0),
                    ControlClient.sign(chainId, TestNetwork.registerBlob(1, 1000, 2, false), alice, 1));
            for (SignedCommand c : captured) {
                client.submit(c);
            }
            assertThat(client.account(TestNetwork.address(alice)).orElseThrow().nextNonce()).isEqualTo(2);
        }

        try (ControlServer fresh = ControlServer.start(second, freshNet.genesis, "127.0.0.1", 0);
             ControlClient client = new ControlClient(fresh.uri());
             HttpClient http = HttpClient.newHttpClient()) {
            assertThat(client.chainId()).isEqualTo(freshNet.chainId).isNotEqualTo(oldNet.chainId);
            for (SignedCommand c : captured) {
                HttpResponse<String> r = post(http, fresh.uri(), ControlJson.mapper().writeValueAsString(c));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                JsonNode info = ControlJson.mapper().readTree(r.body()).path("error").path("details").path(0);
                assertThat(info.path("reason").asText()).isEqualTo("WRONG_CHAIN");
                assertThat(ControlJson.mapper().readTree(r.body()).path("error").path("message").asText())
                        .contains(oldNet.chainId).contains(freshNet.chainId);
            }
            assertThat(client.account(TestNetwork.address(alice))).isEmpty();
            assertThat(client.health().appliedCommands()).isZero();
            assertThat(client.health().eventCount()).isZero();
            assertThat(client.blob(TestNetwork.blobId(1, 1000)).objects()).isEmpty();

            // the same account signing for the fresh network is served
            client.submit(new Command.Faucet(5), alice);
            assertThat(client.account(TestNetwork.address(alice)).orElseThrow().balance()).isEqualTo(5);
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI base, String body)
            throws IOException, InterruptedException {
        URI uri = URI.create(base.toString().replaceAll("/$", "") + "/v1/commands");
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
