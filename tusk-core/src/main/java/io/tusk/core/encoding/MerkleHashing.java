package io.tusk.core.encoding;

import io.tusk.core.hash.Blake2b256Batch;

import io.tusk.core.merkle.MerkleTree;

/**
 * Bulk Merkle hashing for the encoder's hot path: leaf hashes of many equal cells at once (multi-buffer Blake2b),
 * and roots over leaf hashes kept back to back.
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
        return MerkleTree.rootOfLeafHashes(hashes, offset, count);
    }
}
