package io.tusk.control.state;

import io.tusk.core.api.ErrorReason;

/**
 * Thrown inside {@link ControlState} while a command is checked, before anything changes; turned into
 * {@link CommandResult.Refused}. Never escapes the state machine.
 */
final class Refusal extends Exception {
    private final ErrorReason reason;

    Refusal(ErrorReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    ErrorReason reason() {
        return reason;
    }
}
