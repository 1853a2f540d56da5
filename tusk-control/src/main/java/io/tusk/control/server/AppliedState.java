package io.tusk.control.server;

import io.tusk.control.api.EventPage;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.ControlState;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A replica's applied state: the deterministic {@link ControlState} behind one lock, replaced whole when a snapshot is
 * loaded (at start, after a restart of the Raft server, or when the leader installs one), and the long polls waiting
 * for its next events. It outlives the Raft servers of the replica, so waiting polls survive their restarts.
 *
 * <p>Only committed entries are applied here, so everything it shows is durable on a majority of the group.
 */
final class AppliedState {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Null until the first snapshot (or genesis) is loaded. */
    private ControlState state;
    /** Set when the server stops: long polls return at once. */
    private boolean draining;

    /** Replaces the state (a loaded snapshot or genesis). */
    void reset(ControlState loaded) {
        lock.lock();
        try {
            state = loaded;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Applies a committed command and wakes long polls if it emitted events. */
    CommandResult apply(SignedCommand command, long index, Runnable afterApply) {
        lock.lock();
        try {
            if (state == null) {
                throw new IllegalStateException("no state loaded");
            }
            CommandResult result = state.apply(command, index);
            afterApply.run();
            if (result.accepted()) {
                changed.signalAll();
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code query} on the state under the lock.
     *
     * @throws ReplicaUnavailableException if no state is loaded yet
     */
    <T> T read(Function<ControlState, T> query) {
        lock.lock();
        try {
            if (state == null) {
                throw new ReplicaUnavailableException("the replica is still loading its state");
            }
            return query.apply(state);
        } finally {
            lock.unlock();
        }
    }

    /** Whether a state is loaded. */
    boolean loaded() {
        lock.lock();
        try {
            return state != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Up to {@code limit} events from {@code from} on, waiting up to {@code waitMillis} for the first one. {@code next}
     * is the cursor after the last event returned ({@code from} if none).
     */
    EventPage events(long from, int limit, long waitMillis) throws InterruptedException {
        if (from < 0 || limit < 1 || waitMillis < 0) {
            throw new IllegalArgumentException("need from >= 0, limit >= 1, waitMillis >= 0; got " + from + ", " + limit
                    + ", " + waitMillis);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        lock.lock();
        try {
            while ((state == null || state.eventCount() <= from) && !draining) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            if (state == null) {
                throw new ReplicaUnavailableException("the replica is still loading its state");
            }
            var events = state.events(from, limit);
            return new EventPage(events, from + events.size());
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every long poll now and makes later ones return at once. */
    void stopWaiting() {
        lock.lock();
        try {
            draining = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
