package io.tusk.node.events;

import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.EventPage;

/**
 * The two control-plane queries the event follower needs. {@code ControlClient} provides them over HTTP; tests can
 * provide them in memory.
 */
public interface ControlSource {
    /** The committee of the current epoch. */
    CommitteeInfo committee() throws Exception;

    /** Events from cursor {@code from} on, waiting up to {@code waitMillis} for the first one. */
    EventPage events(long from, int limit, long waitMillis) throws Exception;
}
