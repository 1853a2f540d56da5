package io.tusk.control.state;

import io.tusk.control.api.Event;

import java.util.List;
import java.util.Objects;

/** What applying a command did: accepted with its events, or refused with a reason, which changed nothing. */
public sealed interface CommandResult {

    boolean accepted();

    /** The command took effect at {@code index}; {@code events} are what it emitted, in cursor order. */
    record Accepted(long index, List<Event> events) implements CommandResult {
        public Accepted {
            events = List.copyOf(Objects.requireNonNull(events, "events"));
        }

        @Override
        public boolean accepted() {
            return true;
        }
    }

    /**
     * The command was refused: {@code reason} is an {@code ErrorReason} constant (AIP-193 reason), {@code message} says
     * what was wrong with the values at fault. The state, nonces included, is unchanged.
     */
    record Refused(String reason, String message) implements CommandResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean accepted() {
            return false;
        }
    }
}
