package io.tusk.core.encoding;

import io.tusk.core.hash.Blake2b256Batch;

import java.util.Arrays;

/**
 * Bulk Merkle hashing for the encoder's hot path: leaf hashes of many equal cells at once (multi-buffer Blake2b),
 * and roots over leaf hashes kept back to back, with Walrus's rules (an odd level gets an Empty pad of 32 zeros).
 */
final class MerkleHashing {
    private static final int NODE = 32;
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte INNER_PREFIX = 0x01;

    private MerkleHashing() {}

    /** Writes {@code H(0x00 || leaf)} of {@code count} equal leaves at {@code data[offset..]} to {@code out[outOffset..]}. */
    static void leafHashes(byte[] data, int offset, int leafSize, int count, byte[] out, int outOffset) {
        Blake2b256Batch.fastest().hashPrefixedChunks(LEAF_PREFIX, data, offset, leafSize, count, out, outOffset);
    }

    /** The root over {@code count >= 1} leaf hashes stored back to back at {@code hashes[offset..]}. */
    static byte[] rootOfLeafHashes(byte[] hashes, int offset, int count) {
        byte[] level = new byte[(count + 1) * NODE];
        System.arraycopy(hashes, offset, level, 0, count * NODE);
        int nodes = count;
        Blake2b256Batch hasher = Blake2b256Batch.fastest();
        while (nodes > 1) {
            if ((nodes & 1) != 0) {
                Arrays.fill(level, nodes * NODE, (nodes + 1) * NODE, (byte) 0);
                nodes++;
            }
            nodes >>>= 1;
            // In place: parent i overwrites bytes [32i, 32i+32), whose children were already read.
            hasher.hashPrefixedChunks(INNER_PREFIX, level, 0, 2 * NODE, nodes, level, 0);
        }
        return Arrays.copyOf(level, NODE);
    }
}
