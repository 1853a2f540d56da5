package io.tusk.core.encoding;

import io.tusk.core.merkle.MerkleNode;
import io.tusk.core.merkle.MerkleTree;

import java.util.ArrayList;
import java.util.List;

/**
 * A sliver's full expansion and its Merkle tree, computed once so that a node can serve many recovery symbols
 * from one stored sliver.
 */
public final class SliverExpansion {
    private final Sliver sliver;
    private final byte[] expanded;
    private final MerkleTree tree;

    public SliverExpansion(EncodingConfig config, Sliver sliver) {
        this.sliver = sliver;
        this.expanded = sliver.expand(config);
        int sym = sliver.symbolSize();
        List<byte[]> cells = new ArrayList<>(config.shardCount());
        for (int i = 0; i < config.shardCount(); i++) {
            byte[] cell = new byte[sym];
            System.arraycopy(expanded, i * sym, cell, 0, sym);
            cells.add(cell);
        }
        this.tree = MerkleTree.of(cells);
    }

    public Sliver sliver() {
        return sliver;
    }

    /** The sliver's hash, as recorded in the metadata. */
    public MerkleNode hash() {
        return tree.root();
    }

    /**
     * The symbol that helps rebuild orthogonal sliver {@code targetIndex}: cell {@code targetIndex} of this sliver's
     * expansion, with its proof. For a primary source {@code r} this is cell {@code (r, targetIndex)}, which rebuilds
     * secondary sliver {@code targetIndex}.
     */
    public RecoverySymbol recoverySymbol(int targetIndex) {
        int n = tree.leafCount();
        if (targetIndex < 0 || targetIndex >= n) {
            throw new IndexOutOfBoundsException("target sliver index " + targetIndex + " is outside [0, " + n + ")");
        }
        int sym = sliver.symbolSize();
        byte[] cell = new byte[sym];
        System.arraycopy(expanded, targetIndex * sym, cell, 0, sym);
        return new RecoverySymbol(sliver.type().orthogonal(), targetIndex, sliver.index(), cell, tree.proof(targetIndex));
    }
}
