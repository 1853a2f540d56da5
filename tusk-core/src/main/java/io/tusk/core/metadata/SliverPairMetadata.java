package io.tusk.core.metadata;

import io.tusk.core.encoding.SliverType;
import io.tusk.core.merkle.MerkleNode;

/**
 * The hashes of sliver pair {@code q}: the Merkle root of primary sliver {@code q}'s full expansion and that of
 * secondary sliver {@code n-1-q}'s.
 */
public record SliverPairMetadata(MerkleNode primaryHash, MerkleNode secondaryHash) {
    public SliverPairMetadata {
        if (primaryHash == null || secondaryHash == null) {
            throw new IllegalArgumentException("sliver pair hashes must not be null");
        }
    }

    public MerkleNode hash(SliverType type) {
        return type == SliverType.PRIMARY ? primaryHash : secondaryHash;
    }

    /** The 64-byte leaf of the blob's root tree: primary hash then secondary hash (an Empty node counts as zeros). */
    byte[] leaf() {
        byte[] leaf = new byte[64];
        System.arraycopy(primaryHash.bytes(), 0, leaf, 0, 32);
        System.arraycopy(secondaryHash.bytes(), 0, leaf, 32, 32);
        return leaf;
    }
}
