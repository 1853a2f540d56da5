package io.tusk.control.server;

import io.tusk.control.state.ChainId;
import io.tusk.control.state.GenesisConfig;
import org.apache.ratis.protocol.RaftGroupId;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A network's identity: its chain ID ({@link ChainId}, derived from the genesis; signed commands name it). The Raft
 * group of the network's control plane is named after it, so a replica started with another genesis cannot join the
 * group.
 */
public record NetworkId(byte[] bytes) {
    public NetworkId {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a network ID is 32 bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    public static NetworkId of(GenesisConfig genesis) {
        return new NetworkId(HexFormat.of().parseHex(ChainId.of(genesis).substring(2)));
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

    /** The chain ID's text form, {@code 0x} + 64 hex digits. */
    public String chainId() {
        return "0x" + HexFormat.of().formatHex(bytes);
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
        return chainId().substring(0, 18);
    }
}
