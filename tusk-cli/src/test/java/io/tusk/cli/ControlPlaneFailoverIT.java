package io.tusk.cli;

import io.tusk.control.api.ReplicaStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control plane as a Raft group of three replica processes (on 127.0.0.1, .2 and .3, their Raft links through
 * fault-injecting proxies) with four storage node processes, under a continuous store/read workload
 * ({@link ControlWorkload}, seed printed; {@code -Dtusk.seed=N} repeats one). In order:
 * <ol>
 *   <li>SIGKILL of the leader: commands resume within 10 s, stores too, no read of a certified blob fails; the old
 *   leader comes back as a follower;</li>
 *   <li>SIGSTOP of a follower for 30 s, then SIGCONT: it catches up with the leader;</li>
 *   <li>a follower cut off by its link proxies, connections refused, then hung, then slowed, each healed; then the
 *   leader cut off (refused): the others elect a new one, the workload goes on, the old leader catches up;</li>
 *   <li>every process (replicas and nodes) SIGKILLed at once and started again.</li>
 * </ol>
 * After each: every acknowledged command applied exactly once, every certified blob reads back byte-identical, nonces
 * contiguous, no duplicate object IDs, every replica holding the same events ({@link ControlWorkload#check}).
 */
class ControlPlaneFailoverIT {
    private static final int SHARDS = 20;

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryAcknowledgedCommandThroughCrashesStopsPartitionsAndAFullRestart() throws Exception {
        long seed = Long.getLong("tusk.seed", System.nanoTime());
        System.out.println("[failover] seed " + seed + " (repeat with -Dtusk.seed=" + seed + ")");
        long start = System.nanoTime();
        try (ProcessCluster cluster = new ProcessCluster(dir, 3, true, SHARDS, 1, 1, 1, 1)) {
            try {
                cluster.startAll();
                System.out.printf("[failover] 3 replicas and 4 nodes up in %d ms%n", millisSince(start));
                try (ControlWorkload workload = new ControlWorkload(cluster, seed).start()) {
                    workload.awaitStores(3, Duration.ofMinutes(2));
                    workload.check("warm-up");

                    killTheLeader(cluster, workload);
                    stopAFollower(cluster, workload);
                    cutReplicasOff(cluster, workload);
                    killEverything(cluster, workload);

                    assertThat(workload.readFailures).as("reads of certified blobs").isEmpty();
                }
            } catch (Throwable t) {
                cluster.printLogTails(40);
                throw t;
            }
        }
        System.out.printf("[failover] done in %d s%n", millisSince(start) / 1000);
    }

    private static void killTheLeader(ProcessCluster cluster, ControlWorkload workload) throws Exception {
        int leader = cluster.awaitLeader();
        long killed = System.nanoTime();
        cluster.killReplica(leader);
        long commands = workload.millisToFirstCommandAfter(killed, Duration.ofSeconds(60));
        long stores = workload.millisToFirstStoreAfter(killed, Duration.ofSeconds(60));
        System.out.printf("[failover] leader control-%d SIGKILLed: first command acknowledged after %d ms, first store"
                + " after %d ms, new leader control-%d%n", leader, commands, stores, cluster.awaitLeader());
        assertThat(commands).as("commands resume within 10 s of the leader's death").isLessThanOrEqualTo(10_000);
        assertThat(stores).as("stores resume within 10 s of the leader's death").isLessThanOrEqualTo(10_000);
        assertThat(workload.readFailures).as("reads of certified blobs while the leader was dead").isEmpty();
        cluster.startReplica(leader);
        awaitCaughtUp(cluster, leader, Duration.ofSeconds(60));
        workload.check("leader killed");
    }

    private static void stopAFollower(ProcessCluster cluster, ControlWorkload workload) throws Exception {
        int follower = follower(cluster);
        cluster.suspendReplica(follower);
        long stopped = System.nanoTime();
        workload.awaitStores(2, Duration.ofSeconds(60)); // the other two go on
        Thread.sleep(Math.max(0, 30_000 - millisSince(stopped)));
        cluster.resumeReplica(follower);
        long caughtUp = awaitCaughtUp(cluster, follower, Duration.ofSeconds(60));
        System.out.printf("[failover] follower control-%d stopped 30 s, caught up %d ms after SIGCONT%n", follower,
                caughtUp);
        workload.check("follower stopped");
    }

    private static void cutReplicasOff(ProcessCluster cluster, ControlWorkload workload) throws Exception {
        for (FaultyProxy.Mode mode : new FaultyProxy.Mode[] {FaultyProxy.Mode.REFUSE, FaultyProxy.Mode.HANG,
                FaultyProxy.Mode.SLOW}) {
            int follower = follower(cluster);
            cluster.cut(follower, mode, 300);
            workload.awaitStores(2, Duration.ofSeconds(60));
            Thread.sleep(3_000);
            cluster.cut(follower, FaultyProxy.Mode.PASS, 0);
            long caughtUp = awaitCaughtUp(cluster, follower, Duration.ofSeconds(60));
            System.out.printf("[failover] follower control-%d cut off (%s), healed, caught up in %d ms%n", follower,
                    mode, caughtUp);
        }
        int leader = cluster.awaitLeader();
        long cut = System.nanoTime();
        cluster.cut(leader, FaultyProxy.Mode.REFUSE, 0);
        long stores = workload.millisToFirstStoreAfter(cut, Duration.ofSeconds(90));
        int newLeader = awaitLeaderOtherThan(cluster, leader);
        System.out.printf("[failover] leader control-%d cut off: control-%d leads, first store after %d ms%n", leader,
                newLeader, stores);
        cluster.cut(leader, FaultyProxy.Mode.PASS, 0);
        awaitCaughtUp(cluster, leader, Duration.ofSeconds(60));
        workload.check("replicas cut off");
    }

    private static void killEverything(ProcessCluster cluster, ControlWorkload workload) throws Exception {
        workload.pause();
        cluster.killEverything();
        long restarted = System.nanoTime();
        cluster.startAll();
        workload.resume();
        workload.awaitStores(2, Duration.ofMinutes(2));
        System.out.printf("[failover] every process killed at once; all up and storing again in %d ms%n",
                millisSince(restarted));
        workload.check("everything killed");
    }

    /** A running replica that is not the leader. */
    private static int follower(ProcessCluster cluster) throws InterruptedException {
        int leader = cluster.awaitLeader();
        for (int k = 1; k <= cluster.replicaCount(); k++) {
            if (k != leader && cluster.isReplicaAlive(k)) {
                return k;
            }
        }
        throw new AssertionError("no follower");
    }

    private static int awaitLeaderOtherThan(ProcessCluster cluster, int old) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (int k = 1; k <= cluster.replicaCount(); k++) {
                ReplicaStatus s = k == old ? null : cluster.replicaStatus(k);
                if (s != null && ReplicaStatus.LEADER.equals(s.role()) && s.serving()) {
                    return k;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no leader other than control-" + old + " within 60 s");
    }

    /**
     * Waits until replica {@code k} serves and applied what the leader had committed when the wait began; returns how
     * long that took.
     */
    private static long awaitCaughtUp(ProcessCluster cluster, int k, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long target = -1;
        while (System.nanoTime() < deadline) {
            if (target < 0) {
                for (int j = 1; j <= cluster.replicaCount(); j++) {
                    ReplicaStatus s = j == k ? null : cluster.replicaStatus(j);
                    if (s != null && ReplicaStatus.LEADER.equals(s.role())) {
                        target = s.commitIndex();
                    }
                }
            }
            ReplicaStatus mine = cluster.replicaStatus(k);
            if (target >= 0 && mine != null && mine.serving() && mine.appliedIndex() >= target) {
                return millisSince(start);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("control-" + k + " did not catch up within " + timeout + ": "
                + cluster.replicaStatus(k));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
