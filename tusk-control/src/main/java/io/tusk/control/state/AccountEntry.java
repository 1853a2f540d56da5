package io.tusk.control.state;

/** An account: balance and the nonce its next command must carry. {@code address} is canonical (0x + 64 hex). */
record AccountEntry(String address, long balance, long nextNonce) {}
