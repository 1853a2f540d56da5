package io.tusk.control.server;

import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.EventPage;
import io.tusk.control.api.Health;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.TestNetwork;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.failpoint.FailPoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** One replica, a Raft group of one as in a devnet: restart, snapshots, refusals, and a failing log. */
class RaftReplicaTest {
    @TempDir
    Path dir;

    private final TestNetwork net = TestNetwork.standard();
    private final Ed25519KeyPair alice = TestNetwork.account(1);
    private TestReplicas replicas;

    @AfterEach
    void stop() {
        FailPoints.disarmAll();
        if (replicas != null) {
            replicas.close();
        }
    }

    private RaftReplica start(RaftSettings settings) throws Exception {
        if (replicas == null) {
            replicas = new TestReplicas(dir, net.genesis, 1, settings);
        }
        replicas.startAll();
        return replicas.replica(0);
    }

    @Test
    void shouldRestartToTheSameStateAndEvents() throws Exception {
        RaftReplica replica = start(TestReplicas.SETTINGS);
        runWorkload(10);
        String before = replica.query(ControlReplica.Read.LINEARIZABLE, ControlState::digest);
        EventPage eventsBefore = replica.events(0, 1000, 0);
        replicas.stop(0);

        replica = start(TestReplicas.SETTINGS);
        assertThat(replica.query(ControlReplica.Read.LINEARIZABLE, ControlState::digest)).isEqualTo(before);
        assertThat(replica.events(0, 1000, 0)).isEqualTo(eventsBefore);
        // nonces continue where they were
        assertThat(replicas.submit(alice, new Command.Faucet(1)).accepted()).isTrue();
    }

    @Test
    void shouldRestartFromASnapshotAndTheLogAfterIt() throws Exception {
        RaftReplica replica = start(TestReplicas.SETTINGS.withSnapshotEvery(4, 2));
        runWorkload(15);
        String before = replica.query(ControlReplica.Read.LINEARIZABLE, ControlState::digest);
        replicas.stop(0);
        List<Path> snapshots;
        try (Stream<Path> files = Files.walk(dir)) {
            snapshots = files.filter(f -> f.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).toList();
        }
        assertThat(snapshots).as("snapshots taken every 4 entries, the newest two kept").hasSizeBetween(1, 2);

        replica = start(TestReplicas.SETTINGS.withSnapshotEvery(4, 2));
        assertThat(replica.query(ControlReplica.Read.LINEARIZABLE, ControlState::digest)).isEqualTo(before);
        assertThat(replicas.submit(alice, new Command.Faucet(1)).accepted()).isTrue();
    }

    @Test
    void shouldChangeNothingForARefusedCommand() throws Exception {
        RaftReplica replica = start(TestReplicas.SETTINGS);
        runWorkload(3);
        String before = replica.query(ControlReplica.Read.LINEARIZABLE, ControlState::digest);
        CommandResult refused = replica.submit(net.sign(alice, 99, new Command.Faucet(1)));
        assertThat(refused).isInstanceOfSatisfying(CommandResult.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(ErrorReason.BAD_NONCE));
        assertThat(replica.query(ControlReplica.Read.LINEARIZABLE, ControlState::digest)).isEqualTo(before);
        assertThatThrownBy(() -> replica.removeReplica("control-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("last member");
    }

    @Test
    void shouldWakeALongPollWhenAnEventIsCommitted() throws Exception {
        RaftReplica replica = start(TestReplicas.SETTINGS);
        CompletableFuture<EventPage> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return replica.events(0, 10, 10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        replicas.submit(net.admin, new Command.AdvanceEpoch(TestNetwork.GENESIS_TIME + 1));
        EventPage page = waiting.get(5, TimeUnit.SECONDS);
        assertThat(page.events()).hasSize(2); // epochChange and, nothing having moved, epochChangeDone
        assertThat(page.next()).isEqualTo(2);
        EventPage empty = replica.events(2, 10, 50);
        assertThat(empty.events()).isEmpty();
        assertThat(empty.next()).isEqualTo(2);
    }

    @Test
    void shouldRefuseADirectoryOfAnotherGenesisOrAnOlderTusk() throws Exception {
        start(TestReplicas.SETTINGS);
        runWorkload(1);
        replicas.stop(0);
        ReplicaConfig config = replicas.config(0, false);
        assertThatThrownBy(() -> RaftReplica.start(config, net.genesis.withShardCount(200)))
                .isInstanceOf(IOException.class).hasMessageContaining("another genesis");

        Path old = Files.createDirectories(dir.resolve("old"));
        Files.writeString(old.resolve("journal.log"), "x");
        ReplicaConfig oldConfig = new ReplicaConfig(config.id(), old, config.bindHost(), config.httpPort(),
                config.raftPort(), config.peers(), false, config.settings());
        assertThatThrownBy(() -> RaftReplica.start(oldConfig, net.genesis))
                .isInstanceOf(IOException.class).hasMessageContaining("older Tusk");
    }

    /**
     * Issue 16.1 and 16.2 on Raft: a log write that fails (fail point {@code control.log-append}, as a full disk)
     * leaves nothing visible, not even to a follower polling events at that moment; health says the replica does not
     * serve and why; once writes work again the replica serves by itself, and every event anyone saw keeps its cursor.
     * The journal this replaced served the event before writing it, so the poller saw an event whose cursor a restart
     * gave to another command.
     */
    @Test
    void shouldShowNothingOfAFailedLogWriteAndServeAgainByItself() throws Exception {
        RaftReplica replica = start(TestReplicas.SETTINGS);
        runWorkload(3);
        long eventsBefore = replica.health().eventCount();
        List<Event> seen = new ArrayList<>(replica.events(0, 1000, 0).events());

        FailPoints.armError(ControlStateMachine.LOG_APPEND_FAIL_POINT);
        long nonce = replica.query(ControlReplica.Read.LINEARIZABLE,
                s -> s.account(TestNetwork.address(alice)).orElseThrow().nextNonce());
        SignedCommand failing = net.sign(alice, nonce, TestNetwork.registerBlob(7, 1000, 2, false));
        assertThatThrownBy(() -> replica.submit(failing)).isInstanceOf(ReplicaUnavailableException.class);
        assertThat(FailPoints.hits(ControlStateMachine.LOG_APPEND_FAIL_POINT)).isPositive();

        // A follower polling now sees nothing new; health says why the replica refuses.
        TestReplicas.await("health says not serving", Duration.ofSeconds(10),
                () -> replica.health().status().equals(Health.NOT_SERVING));
        Health health = replica.health();
        assertThat(health.reason()).contains("Raft log could not be written");
        assertThatThrownBy(() -> replica.events(eventsBefore, 10, 200)).isInstanceOf(ReplicaUnavailableException.class);
        assertThatThrownBy(() -> replica.submit(failing)).isInstanceOf(ReplicaUnavailableException.class);

        FailPoints.disarmAll();
        TestReplicas.await("serving again", Duration.ofSeconds(60),
                () -> replica.health().status().equals(Health.SERVING));

        // Every event seen before is where it was; the failed command may have been applied from the log after the
        // restart (its outcome was unknown), but then as itself and exactly once.
        List<Event> after = replica.events(0, 1000, 0).events();
        assertThat(after.subList(0, seen.size())).isEqualTo(seen);
        long registrations = after.stream().filter(e -> e instanceof Event.BlobRegistered r
                && r.blobId().equals(TestNetwork.blobId(7, 1000).toString())).count();
        assertThat(registrations).isLessThanOrEqualTo(1);
        long nextNonce = replica.query(ControlReplica.Read.LINEARIZABLE,
                s -> s.account(TestNetwork.address(alice)).orElseThrow().nextNonce());
        assertThat(nextNonce).isEqualTo(nonce + registrations);
        assertThat(replicas.submit(alice, TestNetwork.registerBlob(8, 1000, 2, false)).accepted()).isTrue();
    }

    /**
     * The supervisor stops with the replica: closed while its log keeps failing (every restart meets the armed fail
     * point again), the replica closes without waiting for the supervisor to give up, and a closed replica stays
     * closed (no Raft server restarted behind it: it would still hold its ports).
     */
    @Test
    void shouldCloseWhileItsSupervisorRestartsTheRaftServer() throws Exception {
        RaftReplica replica = start(TestReplicas.SETTINGS);
        runWorkload(1);
        FailPoints.armError(ControlStateMachine.LOG_APPEND_FAIL_POINT);
        long nonce = replica.query(ControlReplica.Read.LINEARIZABLE,
                s -> s.account(TestNetwork.address(alice)).orElseThrow().nextNonce());
        assertThatThrownBy(() -> replica.submit(net.sign(alice, nonce, new Command.Faucet(1))))
                .isInstanceOf(ReplicaUnavailableException.class);
        TestReplicas.await("health says not serving", Duration.ofSeconds(10),
                () -> replica.health().status().equals(Health.NOT_SERVING));

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> replicas.stop(0));
        assertThat(replica.health().status()).isEqualTo(Health.NOT_SERVING);
        assertThat(replica.health().role()).isEqualTo("stopped");
        // The Raft port is free again: a replica started on the same configuration binds it.
        FailPoints.disarmAll();
        RaftReplica again = start(TestReplicas.SETTINGS);
        assertThat(replicas.submit(alice, new Command.Faucet(1)).accepted()).isTrue();
        assertThat(again.health().status()).isEqualTo(Health.SERVING);
    }

    /**
     * A committed entry the state cannot write (fail point {@code control.state-write}) is never skipped: the replica
     * stops serving, says why, reopens its state and applies the entry again once writes work.
     */
    @Test
    void shouldNotSkipAnEntryTheStateCouldNotWrite() throws Exception {
        RaftReplica replica = start(TestReplicas.SETTINGS);
        runWorkload(3);
        long nonce = replica.query(ControlReplica.Read.LINEARIZABLE,
                s -> s.account(TestNetwork.address(alice)).orElseThrow().nextNonce());
        FailPoints.armError(io.tusk.control.state.ControlState.WRITE_FAIL_POINT);
        SignedCommand command = net.sign(alice, nonce, TestNetwork.registerBlob(9, 1000, 2, false));
        assertThatThrownBy(() -> replica.submit(command)).isInstanceOf(ReplicaUnavailableException.class);
        TestReplicas.await("health says not serving", Duration.ofSeconds(10),
                () -> replica.health().status().equals(Health.NOT_SERVING));
        assertThat(replica.health().reason()).contains("to the control state failed");

        FailPoints.disarmAll();
        TestReplicas.await("serving again", Duration.ofSeconds(60),
                () -> replica.health().status().equals(Health.SERVING));
        // The committed entry was applied after the restart, once: sending it again answers its original outcome.
        CommandResult again = replicas.submit(command);
        assertThat(again).isInstanceOfSatisfying(CommandResult.Accepted.class, a -> assertThat(a.retried()).isTrue());
        long registrations = replica.events(0, 1000, 0).events().stream().filter(e -> e instanceof Event.BlobRegistered r
                && r.blobId().equals(TestNetwork.blobId(9, 1000).toString())).count();
        assertThat(registrations).isEqualTo(1);
    }

    /**
     * With less usable space than the floor on the log's disk, the replica refuses commands with the reason and says
     * so in its health, before any log write can fail; it serves again as soon as the space is back. The space is
     * taken for real, by a preallocated file on the same disk.
     */
    @Test
    void shouldRefuseCommandsWhileTheDiskIsBelowTheFloorAndServeWhenSpaceIsBack() throws Exception {
        long usable = Files.getFileStore(dir).getUsableSpace();
        long floor = usable - (2L << 30);
        assertThat(floor).as("this test needs more than 2 GiB free").isPositive();
        RaftReplica replica = start(TestReplicas.SETTINGS.withMinFreeBytes(floor));
        runWorkload(1);
        Path ballast = dir.resolve("ballast");
        Process fallocate = new ProcessBuilder("fallocate", "-l", String.valueOf(4L << 30), ballast.toString())
                .inheritIO().start();
        assertThat(fallocate.waitFor()).as("fallocate -l 4G (util-linux)").isZero();
        try {
            TestReplicas.await("health says not serving", Duration.ofSeconds(10),
                    () -> replica.health().status().equals(Health.NOT_SERVING));
            assertThat(replica.health().reason()).contains("usable, below the");
            long nonce = replica.query(ControlReplica.Read.LINEARIZABLE,
                    s -> s.account(TestNetwork.address(alice)).orElseThrow().nextNonce());
            assertThatThrownBy(() -> replica.submit(net.sign(alice, nonce, new Command.Faucet(1))))
                    .isInstanceOf(ReplicaUnavailableException.class).hasMessageContaining("refusing commands");
        } finally {
            Files.delete(ballast);
        }
        TestReplicas.await("serving again", Duration.ofSeconds(10),
                () -> replica.health().status().equals(Health.SERVING));
        assertThat(replicas.submit(alice, new Command.Faucet(1)).accepted()).isTrue();
    }

    private void runWorkload(int commands) throws InterruptedException {
        for (int i = 0; i < commands; i++) {
            Command c = switch (i % 3) {
                case 0 -> new Command.Faucet(1_000_000_000L);
                case 1 -> TestNetwork.registerBlob(i, 1000 + i, 2, i % 2 == 0);
                default -> null;
            };
            CommandResult r = c == null
                    ? replicas.submit(net.admin, new Command.AdvanceEpoch(replicas.replica(0).query(
                    ControlReplica.Read.LINEARIZABLE, s -> s.epochInfo().startTimeMillis()) + 1))
                    : replicas.submit(alice, c);
            assertThat(r.accepted()).as("%s", r).isTrue();
        }
    }
}
