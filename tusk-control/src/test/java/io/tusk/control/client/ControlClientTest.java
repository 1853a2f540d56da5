package io.tusk.control.client;

import io.tusk.control.api.BlobStatus;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommandOutcome;
import io.tusk.control.api.Event;
import io.tusk.control.server.ControlServer;
import io.tusk.control.state.TestNetwork;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.http.ApiException;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.StorageConfirmation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlClientTest {
    @TempDir
    Path dir;

    private final TestNetwork net = TestNetwork.standard();
    private final Ed25519KeyPair alice = TestNetwork.account(1);
    private ControlServer server;
    private ControlClient client;

    @BeforeEach
    void start() throws Exception {
        server = ControlServer.start(dir, net.genesis, "127.0.0.1", 0);
        client = new ControlClient(server.uri());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void shouldStoreAndCertifyABlobThroughTheApi() throws Exception {
        client.submit(new Command.Faucet(1_000_000_000L), alice);
        CommandOutcome registered = client.submit(TestNetwork.registerBlob(1, 1000, 3, false), alice);
        Event.BlobRegistered event = (Event.BlobRegistered) registered.events().getFirst();
        assertThat(client.object(event.objectId())).isPresent();

        StorageConfirmation confirmation = new StorageConfirmation(client.epoch().epoch(), TestNetwork.blobId(1, 1000),
                BlobPersistence.PERMANENT);
        client.submit(new Command.CertifyBlob(event.objectId(), net.fullCertificate(client.committee(), confirmation)),
                alice);
        BlobStatus status = client.blob(TestNetwork.blobId(1, 1000)).status();
        assertThat(status).isInstanceOf(BlobStatus.Permanent.class);
        assertThat(((BlobStatus.Permanent) status).isCertified()).isTrue();
        assertThat(client.blobsOwnedBy(TestNetwork.address(alice)).blobs()).hasSize(1);
        assertThat(client.account(TestNetwork.address(alice)).orElseThrow().nextNonce()).isEqualTo(3);
        assertThat(client.account("0x" + "ab".repeat(32))).isEmpty();
        assertThat(client.prices().unitSize()).isEqualTo(1 << 20);
        assertThat(client.health().appliedCommands()).isEqualTo(3);
    }

    @Test
    void shouldRetryOnceWhenTheNonceMovedAndReportRefusals() throws Exception {
        client.submit(new Command.Faucet(10), alice);
        // another submitter uses nonce 1 first; the client's fresh read sees 2 anyway, so force a race by hand
        client.submit(ControlClient.sign(net.chainId, new Command.Faucet(10), alice, 1));
        assertThat(client.submit(new Command.Faucet(10), alice).index()).isEqualTo(2);
        assertThatThrownBy(() -> client.submit(TestNetwork.registerBlob(1, 1000, 3, false), alice))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.is(ErrorReason.INSUFFICIENT_BALANCE)).isTrue();
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.domain()).isEqualTo("control.tusk.dev");
                });
        // the first command again is a retry, answered as the first time; another one at its nonce is a replay
        assertThat(client.submit(ControlClient.sign(net.chainId, new Command.Faucet(10), alice, 0)).index()).isZero();
        assertThatThrownBy(() -> client.submit(ControlClient.sign(net.chainId, new Command.Faucet(11), alice, 0)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isBadNonce()).isTrue());
    }

    @Test
    void shouldWaitForAMatchingEvent() throws Exception {
        CompletableFuture<Optional<Event>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return client.awaitEvent(0, e -> e instanceof Event.EpochChange, Duration.ofSeconds(20));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        client.submit(new Command.Faucet(10), alice);
        client.submit(new Command.AdvanceEpoch(TestNetwork.GENESIS_TIME + 10), net.admin);
        Optional<Event> event = waiting.get(20, TimeUnit.SECONDS);
        assertThat(event).containsInstanceOf(Event.EpochChange.class);
        assertThat(event.orElseThrow().epoch()).isEqualTo(2);
        assertThat(client.awaitEvent(1, e -> e instanceof Event.EpochChangeDone, Duration.ofMillis(200))).isPresent();
        assertThat(client.awaitEvent(2, e -> true, Duration.ofMillis(200))).isEmpty();
    }
}
