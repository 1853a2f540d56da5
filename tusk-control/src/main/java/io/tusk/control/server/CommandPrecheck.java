package io.tusk.control.server;

import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Ed25519PublicKey;

import java.util.Optional;

/**
 * The stateless checks of a command, run on the HTTP thread of the replica that receives it, in parallel and before
 * ordering: what fails them never takes a place in the Raft log. The state machine still checks the same when it
 * applies (its outcome must not depend on who prechecked), so this only keeps garbage out of the log.
 */
final class CommandPrecheck {
    private CommandPrecheck() {
    }

    /** The refusal of a command that cannot be valid, or empty. */
    static Optional<CommandResult.Refused> refusal(SignedCommand command) {
        byte[] payload = command.payload();
        if (payload.length > SignedCommand.MAX_PAYLOAD_BYTES) {
            return Optional.of(new CommandResult.Refused(ErrorReason.INVALID_ARGUMENT, "command payload is "
                    + payload.length + " bytes, the limit is " + SignedCommand.MAX_PAYLOAD_BYTES));
        }
        Ed25519PublicKey key;
        try {
            key = Ed25519PublicKey.fromBytes(command.publicKey());
        } catch (IllegalArgumentException e) {
            return Optional.of(new CommandResult.Refused(ErrorReason.INVALID_SIGNATURE, "bad public key: "
                    + e.getMessage()));
        }
        byte[] signature = command.signature();
        if (signature.length != Ed25519PublicKey.SIGNATURE_LENGTH || !key.verify(payload, signature)) {
            return Optional.of(new CommandResult.Refused(ErrorReason.INVALID_SIGNATURE,
                    "the signature does not verify over the payload with key " + key.toBase64()));
        }
        return Optional.empty();
    }
}
