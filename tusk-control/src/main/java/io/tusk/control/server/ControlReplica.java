package io.tusk.control.server;

import io.tusk.control.api.EventPage;
import io.tusk.control.api.Health;
import io.tusk.control.api.ReplicaPeer;
import io.tusk.control.api.ReplicaStatus;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.ControlState;

import java.util.function.Function;

/**
 * One replica of the control plane, as the HTTP API and the epoch ticker see it: submit a signed command, query the
 * state, follow the events. Behind it the commands are ordered by Raft ({@link RaftReplica}); whatever this interface
 * shows was committed and applied, so nothing a caller sees can be undone.
 *
 * <p>Failures are runtime exceptions the HTTP API answers 503: {@link NotLeaderException} (ask the leader) and
 * {@link ReplicaUnavailableException} (ask later or another replica).
 */
public interface ControlReplica extends AutoCloseable {

    /** How fresh a query's answer must be. */
    enum Read {
        /**
         * Linearizable (Raft read index): the answer reflects every command committed before the query started, on any
         * replica. For what a client must see right after its own command: nonces, blob status, objects, accounts.
         */
        LINEARIZABLE,
        /**
         * This replica's applied state, which may lag the leader by the entries it has not applied yet (milliseconds
         * on a healthy group); a replica that does not hear from a leader refuses instead of answering stale data.
         */
        LOCAL
    }

    /**
     * Orders {@code command} and applies it; returns once it is committed and applied, with the outcome every replica
     * computes for it.
     *
     * @throws NotLeaderException          if this replica is not the leader (nothing was ordered)
     * @throws ReplicaUnavailableException if it cannot order now, or the command was not committed in time (then its
     *                                     outcome is unknown: resubmit the same signed command)
     */
    CommandResult submit(SignedCommand command);

    /**
     * Runs {@code query} on the applied state. The function must not keep the state.
     *
     * @throws ReplicaUnavailableException if the replica cannot answer at that consistency now
     */
    <T> T query(Read consistency, Function<ControlState, T> query);

    /**
     * Up to {@code limit} events from cursor {@code from} on, waiting up to {@code waitMillis} for the first one if
     * there are none yet. Only committed events exist here.
     */
    EventPage events(long from, int limit, long waitMillis) throws InterruptedException;

    /** Whether this replica serves, and why not. Never throws. */
    Health health();

    /** This replica's view of the group: role, leader, members. Never throws. */
    ReplicaStatus status();

    /**
     * How many times this replica asked a follower to take over its leadership because its disk ran low (since it
     * started).
     */
    long diskLowHandOffs();

    /**
     * Adds {@code replica} to the group (it must be running, started to join); returns once the new configuration is
     * committed. Adding a member again changes nothing.
     *
     * @throws NotLeaderException if this replica is not the leader
     */
    ReplicaStatus addReplica(ReplicaPeer replica);

    /**
     * Removes the replica {@code id} from the group; returns once the new configuration is committed. Removing a
     * replica that is not a member changes nothing.
     *
     * @throws NotLeaderException       if this replica is not the leader
     * @throws IllegalArgumentException if it is the last member
     */
    ReplicaStatus removeReplica(String id);

    /** Answers every waiting and future long poll at once (called before the HTTP server stops). */
    void stopWaiting();

    @Override
    void close();
}
