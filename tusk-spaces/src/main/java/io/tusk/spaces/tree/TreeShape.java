package io.tusk.spaces.tree;

import io.tusk.core.hash.Blake2b256;

/**
 * Where node boundaries fall. Each key has a rank: the number of leading zero bits of Blake2b-256(salt ‖ key),
 * divided by {@code fanoutBits}. A node at level L ends after a key of rank greater than L (and the last node of a
 * level ends at the last key). So a leaf holds 2^fanoutBits keys on average, and so does an internal node children,
 * and the tree's shape is a function of its key set alone (a Merkle search tree): the same keys give the same nodes
 * whatever order they were written in, a change of k keys rewrites about k leaves and their ancestors, and two
 * versions share every subtree their changes did not touch.
 *
 * <p>The salt is per space (docs/spaces.md), so keys cannot be chosen in advance to make one space's nodes huge; in an
 * encrypted space it is secret, so the node sizes tell nothing about the keys.
 */
public final class TreeShape {
    /** 5 bits: 32 items per node on average (measured against 4 and 6 in SpaceTreeBenchmark, docs/spaces.md). */
    public static final int DEFAULT_FANOUT_BITS = 5;

    private final int fanoutBits;
    private final byte[] salt;

    public TreeShape(int fanoutBits, byte[] salt) {
        if (fanoutBits < 1 || fanoutBits > 16) {
            throw new IllegalArgumentException("fanout bits must be 1..16, got " + fanoutBits);
        }
        this.fanoutBits = fanoutBits;
        this.salt = salt.clone();
    }

    public int fanoutBits() {
        return fanoutBits;
    }

    /** The key's rank: it ends every node of a level below its rank. */
    public int rank(byte[] key) {
        byte[] h = new Blake2b256().update(salt).update(key).digest();
        int zeros = 0;
        for (byte b : h) {
            if (b == 0) {
                zeros += 8;
            } else {
                zeros += Integer.numberOfLeadingZeros(b & 0xff) - 24;
                break;
            }
        }
        return zeros / fanoutBits;
    }

    /** Whether a node at {@code level} ends after {@code key}. */
    public boolean endsNode(byte[] key, int level) {
        return rank(key) > level;
    }
}
