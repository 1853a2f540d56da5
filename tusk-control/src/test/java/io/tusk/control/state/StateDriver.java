package io.tusk.control.state;

import io.tusk.control.api.Command;
import io.tusk.control.api.SignedCommand;
import io.tusk.core.crypto.Ed25519KeyPair;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies commands to a {@link ControlState} with the right nonces at increasing indices (every command takes one, as
 * every entry of a log does, refused or not), and records the accepted ones.
 */
final class StateDriver {
    final ControlState state;
    long nextIndex = 0;
    final List<SignedCommand> accepted = new ArrayList<>();

    StateDriver(ControlState state) {
        this.state = state;
    }

    long nonce(Ed25519KeyPair key) {
        return state.account(TestNetwork.address(key)).map(a -> a.nextNonce()).orElse(0L);
    }

    CommandResult submit(Ed25519KeyPair key, Command command) {
        return submit(TestNetwork.sign(state.chainId(), key, nonce(key), command));
    }

    CommandResult submit(SignedCommand command) {
        CommandResult result = state.apply(command, nextIndex++);
        if (result.accepted()) {
            accepted.add(command);
        }
        return result;
    }

    CommandResult.Accepted accept(Ed25519KeyPair key, Command command) {
        CommandResult result = submit(key, command);
        if (result instanceof CommandResult.Refused r) {
            throw new AssertionError("refused: " + r.reason() + ": " + r.message());
        }
        return (CommandResult.Accepted) result;
    }
}
