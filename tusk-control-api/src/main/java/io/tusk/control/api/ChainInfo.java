package io.tusk.control.api;

import java.util.Objects;

/**
 * {@code GET /v1/chain}: the network's chain ID, which every signed command must carry in its envelope. It is
 * Blake2b-256 of the network's genesis, {@code 0x} + 64 lowercase hex digits, and never changes.
 */
public record ChainInfo(String chainId) {
    public ChainInfo {
        Objects.requireNonNull(chainId, "chainId");
    }
}
