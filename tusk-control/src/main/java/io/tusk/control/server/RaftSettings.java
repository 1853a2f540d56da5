package io.tusk.control.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a replica's Raft: timeouts, snapshots, log retention, and the disk-space floor below which it refuses
 * commands.
 *
 * @param electionTimeoutMin   a follower that hears nothing from its leader for a random time in [min, max] starts
 *                             an election; 1-2 s by default, so a busy two-core machine does not depose a healthy
 *                             leader, and a dead one is replaced within a few seconds
 * @param electionTimeoutMax   see {@code electionTimeoutMin}
 * @param commitTimeout        how long a submit waits for its command to be committed and applied before it answers
 *                             503 with an unknown outcome
 * @param snapshotEvery        a snapshot of the state every this many log entries
 * @param logKeptAfterSnapshot log entries kept before the newest snapshot, so a follower that was away briefly catches
 *                             up from the log rather than by a snapshot
 * @param segmentBytes         size of one Raft log segment file (the log is purged a whole segment at a time)
 * @param minFreeBytes         below this much usable space on the log's disk the replica refuses commands (and says so
 *                             in its health) instead of letting a log write fail
 * @param restartInterval      after a log or state failure, how often the replica tries to start its Raft server
 *                             again
 */
public record RaftSettings(Duration electionTimeoutMin, Duration electionTimeoutMax, Duration commitTimeout,
                           long snapshotEvery, long logKeptAfterSnapshot, long segmentBytes, long minFreeBytes,
                           Duration restartInterval) {
    public static final RaftSettings DEFAULT = new RaftSettings(Duration.ofMillis(1000), Duration.ofMillis(2000),
            Duration.ofSeconds(10), 10_000, 10_000, 8L << 20, 64L << 20, Duration.ofSeconds(5));

    public RaftSettings {
        Objects.requireNonNull(electionTimeoutMin, "electionTimeoutMin");
        Objects.requireNonNull(electionTimeoutMax, "electionTimeoutMax");
        Objects.requireNonNull(commitTimeout, "commitTimeout");
        Objects.requireNonNull(restartInterval, "restartInterval");
        if (electionTimeoutMin.toMillis() < 10 || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("need 10 ms <= electionTimeoutMin < electionTimeoutMax, got "
                    + electionTimeoutMin + " and " + electionTimeoutMax);
        }
        if (snapshotEvery < 1 || logKeptAfterSnapshot < 0 || segmentBytes < 64 * 1024 || minFreeBytes < 0) {
            throw new IllegalArgumentException("need snapshotEvery >= 1, logKeptAfterSnapshot >= 0, segmentBytes >= 64 KiB,"
                    + " minFreeBytes >= 0; got " + snapshotEvery + ", " + logKeptAfterSnapshot + ", " + segmentBytes
                    + ", " + minFreeBytes);
        }
    }

    public RaftSettings withSnapshotEvery(long entries, long keptAfterSnapshot) {
        return new RaftSettings(electionTimeoutMin, electionTimeoutMax, commitTimeout, entries, keptAfterSnapshot,
                segmentBytes, minFreeBytes, restartInterval);
    }

    public RaftSettings withSegmentBytes(long bytes) {
        return new RaftSettings(electionTimeoutMin, electionTimeoutMax, commitTimeout, snapshotEvery,
                logKeptAfterSnapshot, bytes, minFreeBytes, restartInterval);
    }

    public RaftSettings withMinFreeBytes(long bytes) {
        return new RaftSettings(electionTimeoutMin, electionTimeoutMax, commitTimeout, snapshotEvery,
                logKeptAfterSnapshot, segmentBytes, bytes, restartInterval);
    }

    public RaftSettings withRestartInterval(Duration interval) {
        return new RaftSettings(electionTimeoutMin, electionTimeoutMax, commitTimeout, snapshotEvery,
                logKeptAfterSnapshot, segmentBytes, minFreeBytes, interval);
    }

    public RaftSettings withElectionTimeout(Duration min, Duration max) {
        return new RaftSettings(min, max, commitTimeout, snapshotEvery, logKeptAfterSnapshot, segmentBytes,
                minFreeBytes, restartInterval);
    }
}
