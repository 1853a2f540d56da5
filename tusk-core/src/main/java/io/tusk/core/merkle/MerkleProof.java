package io.tusk.core.merkle;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Walrus Merkle inclusion proof: the sibling of the leaf's node at every level, bottom-up, Empty padding
 * nodes included (walrus-protocol §4). The path length is ceil(log2 m) for a tree of m leaves.
 *
 * <p>BCS: {@code vec<MerkleNode>}.
 *
 * @param path siblings from the leaf level up to the level below the root (copied, immutable)
 */
public record MerkleProof(List<MerkleNode> path) {

    /**
     * Longest path {@link #readBcs} accepts. Walrus trees have at most 65535 leaves (16 levels); a longer
     * path could never verify anyway, because the leaf index must be below 2^pathLength and fit an int.
     */
    public static final int MAX_PATH_LENGTH = 64;

    public MerkleProof {
        path = List.copyOf(path);
    }

    /**
     * Whether {@code leafData} is leaf {@code leafIndex} of the tree with root {@code root32}.
     *
     * @throws IllegalArgumentException if {@code root32} is not 32 bytes
     */
    public boolean verify(byte[] root32, byte[] leafData, int leafIndex) {
        return verifyLeafHash(root32, MerkleTree.leafHash(leafData, 0, leafData.length), leafIndex);
    }

    /**
     * Whether {@code leafHash} (= H(0x00 || leaf)) is leaf {@code leafIndex} of the tree with root
     * {@code root32}. Rejects (returns false) a negative index and an index of 2^pathLength or more, so one
     * proof cannot be replayed for another leaf position (walrus-protocol §4).
     *
     * @throws IllegalArgumentException if {@code root32} or {@code leafHash} is not 32 bytes
     */
    public boolean verifyLeafHash(byte[] root32, byte[] leafHash, int leafIndex) {
        if (root32.length != MerkleNode.LENGTH) {
            throw new IllegalArgumentException("Merkle root must be 32 bytes, got " + root32.length);
        }
        if (leafHash.length != MerkleNode.LENGTH) {
            throw new IllegalArgumentException("leaf hash must be 32 bytes, got " + leafHash.length);
        }
        if (leafIndex < 0 || (path.size() < 31 && leafIndex >= (1 << path.size()))) {
            return false;
        }
        byte[] pair = new byte[2 * MerkleNode.LENGTH];
        byte[] current = leafHash.clone();
        int index = leafIndex;
        for (MerkleNode sibling : path) {
            if ((index & 1) == 0) {
                System.arraycopy(current, 0, pair, 0, MerkleNode.LENGTH);
                sibling.copyTo(pair, MerkleNode.LENGTH);
            } else {
                sibling.copyTo(pair, 0);
                System.arraycopy(current, 0, pair, MerkleNode.LENGTH, MerkleNode.LENGTH);
            }
            MerkleTree.innerHash(pair, current);
            index >>>= 1;
        }
        return index == 0 && java.security.MessageDigest.isEqual(current, root32);
    }

    /** Appends the BCS form: ULEB128 path length, then each node. */
    public void writeBcs(BcsWriter w) {
        w.uleb128(path.size());
        for (MerkleNode node : path) {
            node.writeBcs(w);
        }
    }

    /** Reads the BCS form; paths longer than {@link #MAX_PATH_LENGTH} are rejected. */
    public static MerkleProof readBcs(BcsReader r) {
        int length = r.length(MAX_PATH_LENGTH, "MerkleProof path");
        List<MerkleNode> nodes = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            nodes.add(MerkleNode.readBcs(r));
        }
        return new MerkleProof(nodes);
    }

    @Override
    public String toString() {
        return "MerkleProof" + Objects.toString(path);
    }
}
