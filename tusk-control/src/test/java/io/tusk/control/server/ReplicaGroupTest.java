package io.tusk.control.server;

import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.ReplicaPeer;
import io.tusk.control.api.ReplicaStatus;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.TestNetwork;
import io.tusk.core.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Three replicas in this JVM, real Raft over gRPC on loopback: ordering, failover, catch-up, membership. */
class ReplicaGroupTest {
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
    void shouldOrderOnTheLeaderAndServeLinearizableReadsOnFollowers() throws Exception {
        replicas = TestReplicas.started(dir, net.genesis, 3);
        int leader = replicas.awaitLeader();
        int follower = replicas.follower();

        assertThatThrownBy(() -> replicas.replica(follower).submit(net.sign(alice, 0, new Command.Faucet(5))))
                .isInstanceOfSatisfying(NotLeaderException.class, e -> {
                    assertThat(e.leaderUrl()).contains(replicas.url(leader));
                    assertThat(e.leaderId()).contains(replicas.peers.get(leader).id());
                });
        for (int i = 0; i < 5; i++) {
            assertThat(replicas.submit(alice, new Command.Faucet(5)).accepted()).isTrue();
        }
        // Right after the leader answered, a linearizable read on a follower sees every command.
        long nonce = replicas.replica(follower).query(ControlReplica.Read.LINEARIZABLE,
                s -> s.account(TestNetwork.address(alice)).orElseThrow().nextNonce());
        assertThat(nonce).isEqualTo(5);

        ReplicaStatus status = replicas.replica(follower).status();
        assertThat(status.role()).isEqualTo(ReplicaStatus.FOLLOWER);
        assertThat(status.leaderUrl()).isEqualTo(replicas.url(leader).toString());
        assertThat(status.replicas()).extracting(ReplicaPeer::id).containsExactly("control-1", "control-2", "control-3");
        assertThat(status.chainId()).isEqualTo(replicas.replica(leader).status().chainId());
        awaitSameState(0, 1, 2);
    }

    @Test
    void shouldElectANewLeaderWhenTheLeaderStopsAndCatchItUpWhenItReturns() throws Exception {
        replicas = TestReplicas.started(dir, net.genesis, 3);
        for (int i = 0; i < 3; i++) {
            replicas.submit(alice, new Command.Faucet(5));
        }
        int oldLeader = replicas.awaitLeader();
        replicas.stop(oldLeader);
        long stopped = System.nanoTime();
        int newLeader = replicas.awaitLeader();
        System.out.printf("new leader %s elected %d ms after the old one stopped%n", replicas.peers.get(newLeader).id(),
                (System.nanoTime() - stopped) / 1_000_000);
        assertThat(newLeader).isNotEqualTo(oldLeader);
        for (int i = 0; i < 3; i++) {
            assertThat(replicas.submit(alice, new Command.Faucet(5)).accepted()).isTrue();
        }
        replicas.start(oldLeader);
        awaitSameState(0, 1, 2);
        long nonce = replicas.replica(oldLeader).query(ControlReplica.Read.LINEARIZABLE,
                s -> s.account(TestNetwork.address(alice)).orElseThrow().nextNonce());
        assertThat(nonce).isEqualTo(6);
    }

    @Test
    void shouldCatchUpAFollowerThatMissedPurgedEntriesWithASnapshot() throws Exception {
        RaftSettings settings = TestReplicas.SETTINGS.withSnapshotEvery(10, 0).withSegmentBytes(64 * 1024);
        replicas = new TestReplicas(dir, net.genesis, 3, settings);
        replicas.startAll();
        int follower = replicas.follower();
        replicas.submit(alice, new Command.Faucet(5));
        awaitSameState(0, 1, 2);
        long followerApplied = replicas.replica(follower).health().appliedIndex();
        replicas.stop(follower);
        // enough entries to fill and purge several 64 KiB segments: 8 accounts submitting at once
        int accounts = 8;
        int perAccount = 60;
        List<java.util.concurrent.Future<?>> submitters = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(accounts)) {
            for (int a = 0; a < accounts; a++) {
                Ed25519KeyPair key = TestNetwork.account(100 + a);
                submitters.add(pool.submit(() -> {
                    for (int i = 0; i < perAccount; i++) {
                        assertThat(replicas.submit(net.sign(key, i, new Command.Faucet(5))).accepted()).isTrue();
                    }
                    return null;
                }));
            }
            for (var f : submitters) {
                f.get();
            }
        }
        int leader = replicas.awaitLeader();
        TestReplicas.await("the leader purged the log the follower would need", Duration.ofSeconds(30),
                () -> replicas.replica(leader).logStartIndex() > followerApplied + 1);
        replicas.start(follower);
        awaitSameState(0, 1, 2);
        long nonce = replicas.replica(follower).query(ControlReplica.Read.LOCAL,
                st -> st.account(TestNetwork.address(TestNetwork.account(100))).orElseThrow().nextNonce());
        assertThat(nonce).isEqualTo(perAccount);
    }

    @Test
    void shouldAddAndRemoveAReplicaByOperatorCommand() throws Exception {
        replicas = TestReplicas.started(dir, net.genesis, 3);
        replicas.submit(alice, new Command.Faucet(5));
        replicas.submit(alice, TestNetwork.registerBlob(1, 1000, 2, true));
        ReplicaPeer joining = replicas.startJoining();
        assertThat(replicas.replica(3).health().status()).isEqualTo("notServing");

        int leader = replicas.awaitLeader();
        int follower = replicas.follower();
        assertThatThrownBy(() -> replicas.replica(follower).addReplica(joining))
                .isInstanceOf(NotLeaderException.class);
        ReplicaStatus added = replicas.replica(leader).addReplica(joining);
        assertThat(added.replicas()).extracting(ReplicaPeer::id)
                .containsExactly("control-1", "control-2", "control-3", "control-4");
        assertThat(replicas.replica(leader).addReplica(joining).replicas()).hasSize(4); // again: no change
        replicas.submit(alice, new Command.Faucet(5));
        awaitSameState(0, 1, 2, 3);
        assertThat(replicas.replica(3).health().status()).isEqualTo("serving");

        String removed = replicas.peers.get(follower).id();
        int newLeader = replicas.awaitLeader();
        ReplicaStatus after = replicas.replica(newLeader).removeReplica(removed);
        assertThat(after.replicas()).extracting(ReplicaPeer::id).doesNotContain(removed).hasSize(3);
        replicas.stop(follower);
        assertThat(replicas.submit(alice, new Command.Faucet(5)).accepted()).isTrue();
        int[] members = java.util.stream.IntStream.range(0, 4).filter(i -> i != follower).toArray();
        awaitSameState(members);
    }

    /**
     * A follower prechecks entries as they arrive, before it applied the entries ahead of them: a certificate of an
     * epoch it has not reached yet fails that early check, is checked again when applied, and the follower ends in
     * the leader's state. (The follower is stopped while the epoch advances, so it receives both entries together.)
     */
    @Test
    void shouldApplyOnAFollowerACertificateOfAnEpochItHadNotReachedWhenTheEntryArrived() throws Exception {
        replicas = TestReplicas.started(dir, net.genesis, 3);
        assertThat(replicas.submit(alice, new Command.Faucet(1_000_000_000L)).accepted()).isTrue();
        int follower = replicas.follower();
        replicas.stop(follower);
        var registered = (io.tusk.control.state.CommandResult.Accepted) replicas.submit(alice,
                TestNetwork.registerBlob(1, 1000, 3, false));
        String objectId = ((Event.BlobRegistered) registered.events().getFirst()).objectId();
        int leader = replicas.awaitLeader();
        long start = replicas.replica(leader).query(ControlReplica.Read.LINEARIZABLE, s -> s.epochInfo().startTimeMillis());
        assertThat(replicas.submit(net.admin, new Command.AdvanceEpoch(start + 10)).accepted()).isTrue();
        var committee = replicas.replica(leader).query(ControlReplica.Read.LINEARIZABLE, ControlState::committee);
        assertThat(committee.epoch()).isEqualTo(2);
        var confirmation = new io.tusk.core.messages.StorageConfirmation(2, TestNetwork.blobId(1, 1000),
                io.tusk.core.messages.BlobPersistence.PERMANENT);
        assertThat(replicas.submit(alice, new Command.CertifyBlob(objectId, net.fullCertificate(committee, confirmation)))
                .accepted()).isTrue();

        replicas.start(follower);
        awaitSameState(0, 1, 2);
        List<Event> events = replicas.replica(follower).query(ControlReplica.Read.LOCAL, s -> s.events(0, 1000));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(Event.BlobCertified.class));
    }

    /**
     * Concurrent submissions share log entries (group commit): each command still gets its own outcome, and every
     * replica applies the same commands in the same order.
     */
    @Test
    void shouldAnswerEachOfManyConcurrentCommandsWithItsOwnOutcome() throws Exception {
        replicas = TestReplicas.started(dir, net.genesis, 3);
        int leader = replicas.awaitLeader();
        int clients = 48;
        // funds first, then a registration each: its outcome names its own owner and blob
        for (int nonce = 0; nonce < 2; nonce++) {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<io.tusk.control.state.CommandResult>> results = new java.util.ArrayList<>();
            java.util.Set<Long> indices = new java.util.TreeSet<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(clients)) {
                for (int c = 0; c < clients; c++) {
                    Command command = nonce == 0 ? new Command.Faucet(1_000_000_000L)
                            : TestNetwork.registerBlob(c, 1000, 2, false);
                    var signed = net.sign(TestNetwork.account(100 + c), nonce, command);
                    results.add(pool.submit(() -> {
                        go.await();
                        return replicas.replica(leader).submit(signed);
                    }));
                }
                go.countDown();
                for (int c = 0; c < clients; c++) {
                    var result = results.get(c).get(60, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(result).as("client %d", c).isInstanceOf(io.tusk.control.state.CommandResult.Accepted.class);
                    var accepted = (io.tusk.control.state.CommandResult.Accepted) result;
                    indices.add(accepted.index());
                    if (nonce == 1) {
                        String owner = TestNetwork.address(TestNetwork.account(100 + c));
                        String blobId = TestNetwork.blobId(c, 1000).toString();
                        assertThat(accepted.events()).singleElement().isInstanceOfSatisfying(Event.BlobRegistered.class,
                                e -> {
                                    assertThat(e.owner()).isEqualTo(owner);
                                    assertThat(e.blobId()).isEqualTo(blobId);
                                });
                    }
                }
            }
            System.out.println(clients + " concurrent commands in " + indices.size() + " log entries");
        }
        awaitSameState(0, 1, 2);
    }

    /**
     * A leader whose disk runs low hands its leadership to a follower, which takes the commands from then on, while the
     * low replica follows. The space is taken for real (fallocate) against control-1's floor; the others keep the
     * default floor, which the space left stays above.
     */
    @Test
    void shouldHandTheLeadershipAwayWhenTheLeadersDiskRunsLow() throws Exception {
        // The floor sits 6 GiB under today's free space (the disk is shared: other tests write gigabytes meanwhile);
        // the ballast below is sized when it is written, to end 2 GiB under the floor whatever happened in between.
        long usable = java.nio.file.Files.getFileStore(dir).getUsableSpace();
        long floor = usable - (6L << 30);
        assertThat(floor).as("this test needs more than 8 GiB free").isGreaterThan(2L << 30);
        replicas = new TestReplicas(dir, net.genesis, 3, TestReplicas.SETTINGS)
                .settings(0, TestReplicas.SETTINGS.withMinFreeBytes(floor));
        replicas.startAll();
        int first = replicas.awaitLeader();
        if (first != 0) {
            replicas.replica(first).transferLeadership("control-1").get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        TestReplicas.await("control-1 leads", Duration.ofSeconds(30), () -> replicas.leader().orElse(-1) == 0);
        assertThat(replicas.submit(alice, new Command.Faucet(5)).accepted()).isTrue();
        assertThat(replicas.replica(0).diskLowHandOffs()).isZero();

        Path ballast = dir.resolve("ballast");
        long ballastBytes = java.nio.file.Files.getFileStore(dir).getUsableSpace() - floor + (2L << 30);
        Process fallocate = new ProcessBuilder("fallocate", "-l", String.valueOf(ballastBytes), ballast.toString())
                .inheritIO().start();
        assertThat(fallocate.waitFor()).as("fallocate -l " + ballastBytes + " (util-linux)").isZero();
        try {
            TestReplicas.await("control-1 handed its leadership to another replica", Duration.ofSeconds(30),
                    () -> replicas.replica(0).diskLowHandOffs() >= 1 && replicas.leader().orElse(0) != 0);
            assertThat(replicas.submit(alice, new Command.Faucet(5)).accepted()).isTrue();
            assertThat(replicas.awaitLeader()).isNotZero();
            assertThat(replicas.replica(0).status().role()).isEqualTo(ReplicaStatus.FOLLOWER);
            TestReplicas.await("the low-disk follower serves and warns", Duration.ofSeconds(10), () -> {
                var health = replicas.replica(0).health();
                return health.status().equals("serving") && health.warnings().size() == 1
                        && health.warnings().get(0).contains("would hand its leadership away");
            });
            assertThat(replicas.replica(replicas.awaitLeader()).health().warnings()).isEmpty();
        } finally {
            java.nio.file.Files.delete(ballast);
        }
        awaitSameState(0, 1, 2);
    }

    /** Waits until the given replicas applied the same state and events (each replica's own, local view). */
    private void awaitSameState(int... indices) throws InterruptedException {
        TestReplicas.await("replicas " + Arrays.toString(indices) + " hold the same state", Duration.ofSeconds(30),
                () -> {
                    String first = null;
                    List<Event> firstEvents = null;
                    for (int i : indices) {
                        String state;
                        List<Event> events;
                        try {
                            state = replicas.replica(i).query(ControlReplica.Read.LINEARIZABLE, ControlState::digest);
                            events = replicas.replica(i).query(ControlReplica.Read.LOCAL, s -> s.events(0, 100_000));
                        } catch (RuntimeException e) {
                            return false;
                        }
                        if (first == null) {
                            first = state;
                            firstEvents = events;
                        } else if (!first.equals(state) || !firstEvents.equals(events)) {
                            return false;
                        }
                    }
                    return true;
                });
    }
}
