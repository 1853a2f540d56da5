package io.tusk.node.service;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node's current view of the committee, and a signal raised whenever the event follower applied events, so
 * that long polls (confirmations with {@code wait_for_registration}) wake up and re-check.
 */
public final class NodeState {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile CommitteeView view;
    /** Shards the node lost at the last epoch change but still serves (read-only) until their new owners synced. */
    private volatile java.util.Set<Integer> retainedShards = java.util.Set.of();
    private long version;

    public NodeState(CommitteeView initial) {
        this.view = initial;
    }

    public CommitteeView view() {
        return view;
    }

    public java.util.Set<Integer> retainedShards() {
        return retainedShards;
    }

    public void setRetainedShards(java.util.Set<Integer> shards) {
        this.retainedShards = java.util.Set.copyOf(shards);
    }

    /** Whether reads of this shard are served: owned in the current epoch, or retained from the previous one. */
    public boolean serves(int shard) {
        return view.owns(shard) || retainedShards.contains(shard);
    }

    public void setView(CommitteeView next) {
        this.view = next;
        signalChange();
    }

    /** The number of changes so far; pass it to {@link #awaitChange}. */
    public long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    public void signalChange() {
        lock.lock();
        try {
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a change after {@code seenVersion} or until {@code timeoutNanos} pass.
     *
     * @return the remaining time in nanoseconds, {@code <= 0} if the wait timed out
     */
    public long awaitChange(long seenVersion, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (version == seenVersion && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return version == seenVersion ? 0 : Math.max(remaining, 1);
        } finally {
            lock.unlock();
        }
    }

    static long millisToNanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
