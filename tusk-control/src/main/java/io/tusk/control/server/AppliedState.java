package io.tusk.control.server;

import io.tusk.control.api.EventPage;
import io.tusk.control.state.ControlState;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A replica's view of its applied state for queries and long polls: the {@link ControlState} the current Raft server
 * applies to (replaced when the server restarts or the leader installs a snapshot), and the long polls waiting for its
 * next events. It outlives the Raft servers of the replica, so waiting polls survive their restarts.
 *
 * <p>Only committed entries are applied, so everything seen through it is durable on a majority of the group. The
 * state is thread-safe; the lock here only guards the wake-ups.
 */
final class AppliedState {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Null while no state is open (starting, or between two Raft servers). */
    private volatile ControlState state;
    /** Set when the server stops: long polls return at once. */
    private boolean draining;

    /** The state queries now go to (null: none). */
    void reset(ControlState opened) {
        lock.lock();
        try {
            state = opened;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The open state, or null. */
    ControlState current() {
        return state;
    }

    /** Wakes long polls: a command emitted events. */
    void eventsAdded() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code query} on the state.
     *
     * @throws ReplicaUnavailableException if no state is open, or it closed under the query (a restart)
     */
    <T> T read(Function<ControlState, T> query) {
        ControlState s = state;
        if (s == null) {
            throw new ReplicaUnavailableException("the replica is opening its state");
        }
        try {
            return query.apply(s);
        } catch (IllegalStateException e) {
            if (s != state) {
                throw new ReplicaUnavailableException("the replica reopened its state during the query", e);
            }
            throw e;
        }
    }

    /** Whether a state is open. */
    boolean loaded() {
        return state != null;
    }

    /**
     * Up to {@code limit} events from {@code from} on, waiting up to {@code waitMillis} for the first one. {@code next}
     * is the cursor after the last event returned ({@code from} if none).
     *
     * @throws io.tusk.control.state.EventsPrunedException if {@code from} is older than what the state keeps
     */
    EventPage events(long from, int limit, long waitMillis) throws InterruptedException {
        if (from < 0 || limit < 1 || waitMillis < 0) {
            throw new IllegalArgumentException("need from >= 0, limit >= 1, waitMillis >= 0; got " + from + ", " + limit
                    + ", " + waitMillis);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        lock.lock();
        try {
            while (!draining && (state == null || read(ControlState::eventCount) <= from)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        var events = read(s -> s.events(from, limit));
        return new EventPage(events, from + events.size());
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
