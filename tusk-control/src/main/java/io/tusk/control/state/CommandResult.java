package io.tusk.control.state;

import io.tusk.control.api.Event;
import io.tusk.core.api.ErrorReason;

import java.util.List;
import java.util.Objects;

/** What applying a command did: accepted with its events, or refused with a reason, which changed nothing. */
public sealed interface CommandResult {

    boolean accepted();

    /**
     * The command took effect at {@code index}; {@code events} are what it emitted, in cursor order. With
     * {@code retried} the same command (sender, nonce and payload) had been applied before and this is its original
     * outcome, returned again without applying it twice.
     */
    record Accepted(long index, List<Event> events, boolean retried) implements CommandResult {
        public Accepted {
            events = List.copyOf(Objects.requireNonNull(events, "events"));
        }

        /** A command applied now. */
        public Accepted(long index, List<Event> events) {
            this(index, events, false);
        }

        @Override
        public boolean accepted() {
            return true;
        }
    }

    /**
     * The command was refused: {@code reason} is the AIP-193 reason (a 400: wire {@code NOT_FOUND} for a missing target is {@link ErrorReason#TARGET_NOT_FOUND}), {@code message} says
     * what was wrong with the values at fault. The state, nonces included, is unchanged.
     */
    record Refused(ErrorReason reason, String message) implements CommandResult {
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
