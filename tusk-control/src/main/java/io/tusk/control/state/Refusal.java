package io.tusk.control.state;

/**
 * Thrown inside {@link ControlState} while a command is checked, before anything changes; turned into
 * {@link CommandResult.Refused}. Never escapes the state machine.
 */
final class Refusal extends Exception {
    private final String reason;

    Refusal(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
