package io.tusk.core.encoding;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.merkle.MerkleNode;
import io.tusk.core.merkle.MerkleProof;
import io.tusk.core.metadata.BlobMetadata;

import java.util.Arrays;

/**
 * One cell of a blob's expanded matrix, sent by a node to help another rebuild a sliver, with a Merkle proof.
 *
 * <p>To rebuild primary sliver {@code r} a node collects cells {@code (r, c)} from the holders of secondary slivers
 * {@code c} ({@code s} of them); to rebuild secondary sliver {@code c}, cells {@code (r, c)} from the holders of
 * primary slivers {@code r} ({@code p} of them). The <em>source</em> sliver is the one the cell was computed from;
 * its index is the cell's position in the codeword being decoded, and the proof is against the source sliver's hash
 * at leaf {@code targetIndex}.
 *
 * <p>BCS (Walrus {@code GeneralRecoverySymbol}): {@code EitherDecodingSymbol} (tag 0 = recovers a primary sliver,
 * 1 = a secondary; then source index u16, data vec<u8>) {@code || targetIndex u16 || proof}. The axis-typed form used
 * inside inconsistency proofs omits the tag and the target index.
 */
public final class RecoverySymbol {
    private final SliverType targetType;
    private final int targetIndex;
    private final int sourceIndex;
    private final byte[] data;
    private final MerkleProof proof;

    public RecoverySymbol(SliverType targetType, int targetIndex, int sourceIndex, byte[] data, MerkleProof proof) {
        checkU16("target index", targetIndex);
        checkU16("source index", sourceIndex);
        this.targetType = targetType;
        this.targetIndex = targetIndex;
        this.sourceIndex = sourceIndex;
        this.data = data.clone();
        this.proof = proof;
    }

    private static void checkU16(String what, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(what + " must be a u16, got " + value);
        }
    }

    /** The type of the sliver this symbol helps rebuild. */
    public SliverType targetType() {
        return targetType;
    }

    public int targetIndex() {
        return targetIndex;
    }

    /** The index of the orthogonal sliver the symbol was computed from; its position in the decoded codeword. */
    public int sourceIndex() {
        return sourceIndex;
    }

    /** The primary sliver index of the cell ({@code r} of {@code (r, c)}). */
    public int primaryIndex() {
        return targetType == SliverType.PRIMARY ? targetIndex : sourceIndex;
    }

    /** The secondary sliver index of the cell ({@code c} of {@code (r, c)}). */
    public int secondaryIndex() {
        return targetType == SliverType.PRIMARY ? sourceIndex : targetIndex;
    }

    public byte[] data() {
        return data.clone();
    }

    byte[] rawData() {
        return data;
    }

    public MerkleProof proof() {
        return proof;
    }

    /**
     * Checks the symbol against verified metadata: indices in range, the blob's symbol size, and the Merkle proof
     * from the cell to the source sliver's hash.
     *
     * @throws InvalidSliverException naming what is wrong
     */
    public RecoverySymbol verify(EncodingConfig config, BlobMetadata metadata) {
        int n = config.shardCount();
        if (targetIndex >= n || sourceIndex >= n) {
            throw new InvalidSliverException(this + ": index out of range for " + n + " shards");
        }
        int sym = metadata.symbolSize(config);
        if (data.length != sym) {
            throw new InvalidSliverException(this + ": " + data.length + " bytes, the blob's symbols have " + sym);
        }
        MerkleNode root = metadata.sliverHash(targetType.orthogonal(), sourceIndex);
        if (root.isEmpty() || !proof.verify(root.bytes(), data, targetIndex)) {
            throw new InvalidSliverException(this + ": Merkle proof does not verify against the hash of "
                    + targetType.orthogonal().wireName() + " sliver " + sourceIndex);
        }
        return this;
    }

    /** Writes the general (either-axis) BCS form. */
    public void writeBcs(BcsWriter w) {
        w.uleb128(targetType.tag());
        writeDecodingSymbol(w);
        w.u16(targetIndex);
        proof.writeBcs(w);
    }

    public byte[] toBcs() {
        BcsWriter w = new BcsWriter();
        writeBcs(w);
        return w.toByteArray();
    }

    public static RecoverySymbol readBcs(BcsReader r) {
        SliverType type = SliverType.fromTag((int) r.uleb128(1));
        int source = r.u16();
        byte[] data = r.bytes(EncodingConfig.MAX_SYMBOL_SIZE);
        int target = r.u16();
        MerkleProof proof = MerkleProof.readBcs(r);
        return new RecoverySymbol(type, target, source, data, proof);
    }

    /** Writes the axis-typed form ({@code DecodingSymbol || proof}); the axis and target come from the context. */
    void writeTypedBcs(BcsWriter w) {
        writeDecodingSymbol(w);
        proof.writeBcs(w);
    }

    static RecoverySymbol readTypedBcs(BcsReader r, SliverType targetType, int targetIndex) {
        int source = r.u16();
        byte[] data = r.bytes(EncodingConfig.MAX_SYMBOL_SIZE);
        MerkleProof proof = MerkleProof.readBcs(r);
        return new RecoverySymbol(targetType, targetIndex, source, data, proof);
    }

    private void writeDecodingSymbol(BcsWriter w) {
        w.u16(sourceIndex);
        w.bytes(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecoverySymbol other && other.targetType == targetType && other.targetIndex == targetIndex
                && other.sourceIndex == sourceIndex && Arrays.equals(other.data, data) && other.proof.equals(proof);
    }

    @Override
    public int hashCode() {
        return ((targetType.hashCode() * 31 + targetIndex) * 31 + sourceIndex) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "RecoverySymbol[" + primaryIndex() + "-" + secondaryIndex() + " for " + targetType.wireName() + " sliver "
                + targetIndex + "]";
    }
}
