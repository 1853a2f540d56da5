package io.tusk.control.state;

import io.tusk.control.api.Command;

/** A command whose signature and envelope were checked: {@code sender} is the canonical address of the signing key. */
record AuthenticatedCommand(String sender, long nonce, Command command) {}
