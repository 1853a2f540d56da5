package io.tusk.core.encoding;

import io.tusk.core.merkle.MerkleTree;

import java.util.ArrayList;
import java.util.List;

/** Bulk leaf hashing and roots over packed leaf hashes, for the encoder's hot path. */
final class MerkleHashing {
    private static final int HASH_BYTES = 32;

    private MerkleHashing() {}

    /** Writes {@code H(0x00 || leaf)} of {@code count} equal leaves at {@code data[offset..]} to {@code out[outOffset..]}. */
    static void leafHashes(byte[] data, int offset, int leafSize, int count, byte[] out, int outOffset) {
        for (int i = 0; i < count; i++) {
            byte[] hash = MerkleTree.leafHash(data, offset + i * leafSize, leafSize);
            System.arraycopy(hash, 0, out, outOffset + i * HASH_BYTES, HASH_BYTES);
        }
    }

    /** The root over {@code count} leaf hashes stored back to back. */
    static byte[] rootOfLeafHashes(byte[] hashes, int offset, int count) {
        List<byte[]> leaves = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] h = new byte[HASH_BYTES];
            System.arraycopy(hashes, offset + i * HASH_BYTES, h, 0, HASH_BYTES);
            leaves.add(h);
        }
        return MerkleTree.ofLeafHashes(leaves).root().bytes();
    }
}
