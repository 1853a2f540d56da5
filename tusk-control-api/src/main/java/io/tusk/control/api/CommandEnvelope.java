package io.tusk.control.api;

import java.util.Objects;

/**
 * What a {@link SignedCommand}'s payload holds: the network the command is for ({@code chainId}, from
 * {@code GET /v1/chain}), the sender's address ({@code 0x} + 64 hex digits, the address of the signing key), its next
 * nonce (replay protection within a network: starts at 0, one up per accepted command) and the command.
 *
 * <p>The chain ID binds the signature to one network: nonces start at 0 on every network, so without it a command
 * taken from one network's log would be valid on any other where the sender's nonce has the same value.
 */
public record CommandEnvelope(String chainId, String sender, long nonce, Command command) {
    public CommandEnvelope {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(command, "command");
        if (nonce < 0) {
            throw new IllegalArgumentException("nonce must not be negative, got " + nonce);
        }
    }
}
