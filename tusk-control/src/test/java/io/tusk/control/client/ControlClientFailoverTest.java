package io.tusk.control.client;

import io.tusk.control.api.Command;
import io.tusk.control.api.ReplicaStatus;
import io.tusk.control.server.TestReplicas;
import io.tusk.control.state.TestNetwork;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.http.ApiException;
import io.tusk.http.JsonHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client given a list of replica URLs: finds the leader, follows it, fails over when it goes away. */
class ControlClientFailoverTest {
    @TempDir
    Path dir;

    private final TestNetwork net = TestNetwork.standard();
    private final Ed25519KeyPair alice = TestNetwork.account(1);
    private TestReplicas replicas;

    @AfterEach
    void stop() {
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    void shouldFindTheLeaderAmongTheUrlsAndFailOverWhenItStops() throws Exception {
        replicas = TestReplicas.started(dir, net.genesis, 3);
        int leader = replicas.awaitLeader();
        int follower = replicas.follower();
        URI dead = URI.create("http://127.0.0.1:" + TestReplicas.freePort());
        List<URI> urls = new ArrayList<>(List.of(dead, replicas.url(follower)));
        for (int i = 0; i < 3; i++) {
            if (i != follower) {
                urls.add(replicas.url(i));
            }
        }
        try (ControlClient client = new ControlClient(urls, Duration.ofSeconds(5), Duration.ofSeconds(30))) {
            assertThat(client.submit(new Command.Faucet(5), alice).events()).isEmpty();
            assertThat(client.currentReplica()).isEqualTo(replicas.url(leader));

            replicas.stop(leader);
            for (int i = 0; i < 3; i++) {
                client.submit(new Command.Faucet(5), alice);
            }
            assertThat(client.currentReplica()).isNotEqualTo(replicas.url(leader)).isNotEqualTo(dead);
            assertThat(client.account(TestNetwork.address(alice)).orElseThrow().nextNonce()).isEqualTo(4);
            ReplicaStatus status = client.replicaStatus();
            assertThat(status.role()).isEqualTo(ReplicaStatus.LEADER);
        }
    }

    @Test
    void shouldAnswerNotLeaderWithTheLeadersUrlOnAFollower() throws Exception {
        replicas = TestReplicas.started(dir, net.genesis, 3);
        int leader = replicas.awaitLeader();
        int follower = replicas.follower();
        try (JsonHttpClient http = JsonHttpClient.create(replicas.url(follower))) {
            assertThatThrownBy(() -> http.post("/v1/commands", net.sign(alice, 0, new Command.Faucet(5)),
                    Object.class)).isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.is(ErrorReason.NOT_LEADER)).isTrue();
                        assertThat(e.httpStatus()).isEqualTo(503);
                        assertThat(e.metadata()).containsEntry("leaderUrl", replicas.url(leader).toString())
                                .containsEntry("leaderId", replicas.peers.get(leader).id());
                    });
        }
    }

    @Test
    void shouldGiveUpAfterTheBudgetWhenNoReplicaAnswers() throws Exception {
        URI dead = URI.create("http://127.0.0.1:" + TestReplicas.freePort());
        try (ControlClient client = new ControlClient(List.of(dead), Duration.ofSeconds(1), Duration.ofMillis(500))) {
            long start = System.nanoTime();
            assertThatThrownBy(client::epoch).isInstanceOf(io.tusk.http.HttpTransportException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        }
    }
}
