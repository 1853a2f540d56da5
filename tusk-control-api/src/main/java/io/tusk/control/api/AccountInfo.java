package io.tusk.control.api;

import java.util.Objects;

/** An account: its address, balance and the nonce its next command must carry. */
public record AccountInfo(String address, long balance, long nextNonce) {
    public AccountInfo {
        Objects.requireNonNull(address, "address");
    }
}
