package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/**
 * A storage node in a committee: its node ID ({@code 0x} + 64 hex), name, {@code host:port}, BLS public key (48 bytes,
 * standard base64 in JSON), stake and the shard indices it holds (ascending).
 */
public record CommitteeMember(String nodeId, String name, String networkAddress, byte[] blsPublicKey, long stake,
                              List<Integer> shards) {
    public CommitteeMember {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(networkAddress, "networkAddress");
        Objects.requireNonNull(blsPublicKey, "blsPublicKey");
        blsPublicKey = blsPublicKey.clone();
        shards = List.copyOf(Objects.requireNonNull(shards, "shards"));
    }

    @Override
    public byte[] blsPublicKey() {
        return blsPublicKey.clone();
    }
}
