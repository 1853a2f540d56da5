package io.tusk.node.events;

import io.tusk.control.api.Command;
import io.tusk.control.api.CommandOutcome;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.EventPage;
import io.tusk.control.client.ControlClient;
import io.tusk.core.crypto.Ed25519KeyPair;

/**
 * The two control-plane queries the event follower needs. {@code ControlClient} provides them over HTTP; tests can
 * provide them in memory.
 */
public interface ControlSource {
    /** The committee of the current epoch. */
    CommitteeInfo committee() throws Exception;

    /** Events from cursor {@code from} on, waiting up to {@code waitMillis} for the first one. */
    EventPage events(long from, int limit, long waitMillis) throws Exception;

    /**
     * Submits a command signed by {@code signer} (a node submits {@code invalidateBlob}). Sources that cannot submit
     * refuse.
     */
    default CommandOutcome submit(Command command, Ed25519KeyPair signer) throws Exception {
        throw new UnsupportedOperationException("this control source cannot submit commands");
    }

    /** The control plane's HTTP API through its client. */
    static ControlSource of(ControlClient client) {
        return new ControlSource() {
            @Override
            public CommitteeInfo committee() throws Exception {
                return client.committee();
            }

            @Override
            public EventPage events(long from, int limit, long waitMillis) throws Exception {
                return client.events(from, limit, waitMillis);
            }

            @Override
            public CommandOutcome submit(Command command, Ed25519KeyPair signer) {
                return client.submit(command, signer);
            }
        };
    }
}
