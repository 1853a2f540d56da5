package io.tusk.control.server;

import io.tusk.control.api.ControlJson;
import io.tusk.control.state.GenesisConfig;
import io.tusk.core.hash.Blake2b256;
import org.apache.ratis.protocol.RaftGroupId;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A network's identity: Blake2b-256 of its genesis as {@link ControlJson} writes it (records in component order, maps
 * sorted, so every replica computes the same bytes). The Raft group of the network's control plane is named after it,
 * so a replica started with another genesis cannot join the group.
 */
public record NetworkId(byte[] bytes) {
    public NetworkId {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a network ID is 32 bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    public static NetworkId of(GenesisConfig genesis) {
        try {
            return new NetworkId(Blake2b256.hash(ControlJson.mapper().writeValueAsBytes(genesis)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a genesis", e);
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The Raft group ID: the first 16 bytes as a UUID. */
    public RaftGroupId raftGroupId() {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return RaftGroupId.valueOf(new UUID(b.getLong(), b.getLong()));
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkId other && java.util.Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex().substring(0, 16);
    }
}
