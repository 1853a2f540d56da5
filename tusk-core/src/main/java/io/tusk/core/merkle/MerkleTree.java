package io.tusk.core.merkle;

import io.tusk.core.hash.Blake2b256Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A Walrus Merkle tree (R {@code walrus-core/src/merkle.rs}; walrus-protocol §4) with H = Blake2b-256:
 * <ol>
 *   <li>leaf i is {@code H(0x00 || x_i)};</li>
 *   <li>while a level has more than one node: an odd level gets one Empty node appended (32 zero bytes, used
 *       as is, never hashed), then node i of the next level is {@code H(0x01 || v_2i || v_2i+1)};</li>
 *   <li>the root is the last node: the leaf hash itself for one leaf, Empty for no leaves.</li>
 * </ol>
 * Padding is per level, never to a power of two: 1000 leaves give levels of 1000, 500, 250, 125+1, 63+1, 32,
 * 16, 8, 4, 2 and 1 nodes.
 *
 * <p>An instance keeps every level so it can produce proofs. For just a root over equal-size leaves, use the
 * allocation-light {@link #rootOfEqualLeaves}. Immutable and thread-safe.
 */
public final class MerkleTree {

    static final byte LEAF_PREFIX = 0x00;
    static final byte INNER_PREFIX = 0x01;
    private static final int NODE = MerkleNode.LENGTH;

    // INV: levels.get(0) holds leafCount leaf hashes; level k+1 holds ceil(count_k / 2) nodes; the last level
    // holds exactly one node unless leafCount == 0 (then there are no levels). Each array has room for the
    // Empty pad of an odd level, left as zeros.
    private final List<byte[]> levels;
    private final int[] levelCounts;
    private final int leafCount;

    private MerkleTree(byte[] leafHashes, int leafCount) {
        this.leafCount = leafCount;
        this.levels = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        if (leafCount > 0) {
            byte[] level = leafHashes;
            int count = leafCount;
            levels.add(level);
            counts.add(count);
            while (count > 1) {
                int parents = (count + 1) / 2;
                byte[] next = new byte[(parents + 1) * NODE];
                // The pad slot level[count*32 .. +32) is already zero.
                Blake2b256Batch.fastest().hashPrefixedChunks(INNER_PREFIX, level, 0, 2 * NODE, parents, next, 0);
                level = next;
                count = parents;
                levels.add(level);
                counts.add(count);
            }
        }
        this.levelCounts = counts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Builds the tree over {@code leaves} (the raw leaf data; each is hashed as {@code H(0x00 || leaf)}). */
    public static MerkleTree of(List<byte[]> leaves) {
        int count = leaves.size();
        byte[] hashes = new byte[(count + 1) * NODE];
        for (int i = 0; i < count; i++) {
            byte[] leaf = Objects.requireNonNull(leaves.get(i), "leaf");
            Blake2b256Batch.SCALAR.hashPrefixedChunks(LEAF_PREFIX, leaf, 0, leaf.length, 1, hashes, i * NODE);
        }
        return new MerkleTree(hashes, count);
    }

    /**
     * Builds the tree over already-hashed leaves (each {@code H(0x00 || leaf)}, 32 bytes).
     *
     * @throws IllegalArgumentException if a leaf hash is not 32 bytes
     */
    public static MerkleTree ofLeafHashes(List<byte[]> leafHashes) {
        int count = leafHashes.size();
        byte[] hashes = new byte[(count + 1) * NODE];
        for (int i = 0; i < count; i++) {
            byte[] hash = leafHashes.get(i);
            if (hash.length != NODE) {
                throw new IllegalArgumentException("leaf hash " + i + " must be 32 bytes, got " + hash.length);
            }
            System.arraycopy(hash, 0, hashes, i * NODE, NODE);
        }
        return new MerkleTree(hashes, count);
    }

    /** Returns {@code H(0x00 || data[offset .. offset+length))}, the hash of one leaf. */
    public static byte[] leafHash(byte[] data, int offset, int length) {
        byte[] out = new byte[NODE];
        Blake2b256Batch.SCALAR.hashPrefixedChunks(LEAF_PREFIX, data, offset, length, 1, out, 0);
        return out;
    }

    /** Writes {@code H(0x01 || pair[0..64))} to {@code out[0..32)}. */
    static void innerHash(byte[] pair, byte[] out) {
        Blake2b256Batch.SCALAR.hashPrefixedChunks(INNER_PREFIX, pair, 0, 2 * NODE, 1, out, 0);
    }

    /** The root: Empty for no leaves, otherwise a Digest. */
    public MerkleNode root() {
        if (leafCount == 0) {
            return MerkleNode.EMPTY;
        }
        return MerkleNode.digest(levels.get(levels.size() - 1), 0);
    }

    /** Number of leaves. */
    public int leafCount() {
        return leafCount;
    }

    /**
     * The proof for leaf {@code leafIndex}: its sibling at every level below the root, bottom-up; a missing
     * sibling (the pad of an odd level) is {@link MerkleNode#EMPTY}.
     *
     * @throws IndexOutOfBoundsException if {@code leafIndex} is not in 0..leafCount-1
     */
    public MerkleProof proof(int leafIndex) {
        Objects.checkIndex(leafIndex, leafCount);
        List<MerkleNode> path = new ArrayList<>(levels.size());
        int index = leafIndex;
        for (int level = 0; level < levels.size() - 1; level++) {
            int sibling = index ^ 1;
            path.add(sibling < levelCounts[level] ? MerkleNode.digest(levels.get(level), sibling * NODE)
                    : MerkleNode.EMPTY);
            index >>>= 1;
        }
        return new MerkleProof(path);
    }

    /**
     * Returns the root value over {@code count} equal-size leaves that sit back to back in {@code data}: leaf i
     * is {@code data[offset + i*leafSize .. offset + (i+1)*leafSize)}. For {@code count == 0} it is the Empty
     * value, 32 zero bytes.
     *
     * <p>This is the hot path of RS2 metadata (sliver hashes): it allocates one level buffer per call and
     * nothing per leaf, and hashes several leaves at once when the Vector API is available.
     *
     * @throws IndexOutOfBoundsException if the leaves do not fit in {@code data}
     * @throws IllegalArgumentException   if {@code leafSize} or {@code count} is negative
     */
    public static byte[] rootOfEqualLeaves(byte[] data, int offset, int leafSize, int count) {
        return rootOfEqualLeaves(data, offset, leafSize, count, Blake2b256Batch.fastest());
    }

    /**
     * {@link #rootOfEqualLeaves(byte[], int, int, int)} with a chosen hash implementation (for tests and
     * benchmarks; every implementation gives the same root).
     */
    public static byte[] rootOfEqualLeaves(byte[] data, int offset, int leafSize, int count, Blake2b256Batch hasher) {
        if (leafSize < 0 || count < 0) {
            throw new IllegalArgumentException("leafSize " + leafSize + " and count " + count
                    + " must not be negative");
        }
        Objects.checkFromIndexSize(offset, (long) leafSize * count, data.length);
        if (count == 0) {
            return new byte[NODE];
        }
        byte[] level = new byte[(count + 1) * NODE];
        hasher.hashPrefixedChunks(LEAF_PREFIX, data, offset, leafSize, count, level, 0);
        return rootOfLevel(level, count, hasher);
    }

    /**
     * Writes the leaf hashes {@code H(0x00 || leaf)} of {@code count} equal-size leaves that sit back to back at
     * {@code data[offset..]} to {@code out[outOffset..]}, 32 bytes each, several leaves at once where the Vector API
     * is available.
     */
    public static void leafHashes(byte[] data, int offset, int leafSize, int count, byte[] out, int outOffset) {
        Blake2b256Batch.fastest().hashPrefixedChunks(LEAF_PREFIX, data, offset, leafSize, count, out, outOffset);
    }

    /**
     * The root over {@code count >= 1} leaf hashes ({@code H(0x00 || leaf)}, 32 bytes each) stored back to back at
     * {@code hashes[offset..]}: for callers that computed the leaf hashes already (the RS2 encoder hashes each cell
     * once and uses the hash in both its row's and its column's tree).
     */
    public static byte[] rootOfLeafHashes(byte[] hashes, int offset, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one leaf hash, got " + count);
        }
        Objects.checkFromIndexSize(offset, (long) NODE * count, hashes.length);
        byte[] level = new byte[(count + 1) * NODE];
        System.arraycopy(hashes, offset, level, 0, count * NODE);
        return rootOfLevel(level, count, Blake2b256Batch.fastest());
    }

    /**
     * The roots of {@code trees} trees of {@code leaves >= 1} leaf hashes each, tree {@code t}'s leaf hashes back to
     * back at {@code hashes[t * leaves * 32..]}: {@link #rootOfLeafHashes} of each, with each level of all the trees
     * hashed in one call, so that the small upper levels fill the hasher's lanes too.
     *
     * @return the roots, 32 bytes each, in tree order
     */
    public static byte[][] rootsOfLeafHashes(byte[] hashes, int trees, int leaves) {
        if (trees < 0 || leaves < 1) {
            throw new IllegalArgumentException("need at least one leaf per tree, got " + trees + " trees of " + leaves);
        }
        Objects.checkFromIndexSize(0, (long) NODE * trees * leaves, hashes.length);
        Blake2b256Batch hasher = Blake2b256Batch.fastest();
        byte[] level = hashes;
        int nodes = leaves;
        while (nodes > 1) {
            int padded = nodes + (nodes & 1); // an odd level gets an Empty (zero) node at its end, in every tree
            byte[] pairs = new byte[trees * padded * NODE];
            for (int t = 0; t < trees; t++) {
                System.arraycopy(level, t * nodes * NODE, pairs, t * padded * NODE, nodes * NODE);
            }
            nodes = padded >>> 1;
            level = new byte[trees * nodes * NODE];
            hasher.hashPrefixedChunks(INNER_PREFIX, pairs, 0, 2 * NODE, trees * nodes, level, 0);
        }
        byte[][] roots = new byte[trees][];
        for (int t = 0; t < trees; t++) {
            roots[t] = Arrays.copyOfRange(level, t * NODE, (t + 1) * NODE);
        }
        return roots;
    }

    /**
     * Hashes a level of {@code nodes} hashes up to the root, in place: node i of the next level overwrites bytes
     * 32i..32i+32, which only held children already consumed. {@code level} has room for one Empty pad.
     */
    private static byte[] rootOfLevel(byte[] level, int nodes, Blake2b256Batch hasher) {
        while (nodes > 1) {
            if ((nodes & 1) != 0) {
                Arrays.fill(level, nodes * NODE, (nodes + 1) * NODE, (byte) 0);
                nodes++;
            }
            nodes >>>= 1;
            hasher.hashPrefixedChunks(INNER_PREFIX, level, 0, 2 * NODE, nodes, level, 0);
        }
        return Arrays.copyOf(level, NODE);
    }
}
