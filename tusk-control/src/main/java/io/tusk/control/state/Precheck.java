package io.tusk.control.state;

import java.util.Optional;

/**
 * The outcome of {@link ControlState#precheck}: the checks that need no state (signature, envelope, network, the BLS
 * signatures of certificates against the committee of the epoch they name) passed, or the command is refused. A
 * refused precheck never needs ordering: the command cannot be accepted at any index. A passed one is applied with
 * {@link ControlState#apply(Precheck, long)}, which then checks only what depends on the state at that index (nonce,
 * balance, ownership, the current epoch). Immutable; safe to hand between threads.
 */
public final class Precheck {
    private final AuthenticatedCommand command;
    private final CertificateVerifier.Verified verified;
    private final CommandResult.Refused refusal;

    private Precheck(AuthenticatedCommand command, CertificateVerifier.Verified verified, CommandResult.Refused refusal) {
        this.command = command;
        this.verified = verified;
        this.refusal = refusal;
    }

    static Precheck passed(AuthenticatedCommand command, CertificateVerifier.Verified verified) {
        return new Precheck(command, verified, null);
    }

    static Precheck refused(Refusal refusal) {
        return new Precheck(null, null, new CommandResult.Refused(refusal.reason(), refusal.getMessage()));
    }

    public boolean passed() {
        return refusal == null;
    }

    /** Why the command was refused, if it was. */
    public Optional<CommandResult.Refused> refusal() {
        return Optional.ofNullable(refusal);
    }

    /**
     * Whether the command starts a new epoch (and its committee). Prechecks verify certificates against committees
     * already committed, so a leader ends a log entry after such a command: a command after it, in the next entry, is
     * then prechecked exactly as if every command had an entry of its own.
     */
    public boolean startsEpoch() {
        return command != null && command.command() instanceof io.tusk.control.api.Command.AdvanceEpoch;
    }

    AuthenticatedCommand command() {
        return command;
    }

    /** The signatures the precheck verified against a committee, or null if the command carries none. */
    CertificateVerifier.Verified verified() {
        return verified;
    }

    @Override
    public String toString() {
        return passed() ? "Precheck[passed " + command.sender() + " nonce " + command.nonce() + "]"
                : "Precheck[" + refusal + "]";
    }
}
