package io.tusk.control.state;

import io.tusk.control.api.Command;

/**
 * A command whose signature and envelope were checked: {@code sender} is the canonical address of the signing key,
 * {@code payloadHash} Blake2b-256 of the signed payload (what tells a retried command from another one at the same
 * nonce).
 */
record AuthenticatedCommand(String sender, long nonce, Command command, byte[] payloadHash) {}
