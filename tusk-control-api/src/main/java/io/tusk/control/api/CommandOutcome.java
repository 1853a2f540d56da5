package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/**
 * The answer to an accepted command: the index it was applied at and the events it emitted (in cursor order).
 * A refused command answers an AIP-193 error instead.
 */
public record CommandOutcome(long index, List<Event> events) {
    public CommandOutcome {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
    }
}
