package io.tusk.control.api;

import java.util.Objects;

/**
 * What a {@link SignedCommand}'s payload holds: the sender's address ({@code 0x} + 64 hex digits, the address of the
 * signing key), its next nonce (replay protection: starts at 0, one up per accepted command) and the command.
 */
public record CommandEnvelope(String sender, long nonce, Command command) {
    public CommandEnvelope {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(command, "command");
        if (nonce < 0) {
            throw new IllegalArgumentException("nonce must not be negative, got " + nonce);
        }
    }
}
