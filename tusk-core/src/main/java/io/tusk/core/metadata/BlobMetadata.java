package io.tusk.core.metadata;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.merkle.MerkleNode;
import io.tusk.core.merkle.MerkleTree;

import java.util.ArrayList;
import java.util.List;

/**
 * Walrus {@code BlobMetadata::V1}: encoding type, unencoded length and the hashes of every sliver pair, indexed by
 * pair. BCS: {@code 00 (V1) | 01 (RS2) | length u64 LE | ULEB(n) | n x (primary Node, secondary Node)}.
 */
public final class BlobMetadata {
    private static final int VARIANT_V1 = 0;
    private static final int NODE_EMPTY = 0;
    private static final int NODE_DIGEST = 1;

    private final EncodingType encodingType;
    private final long unencodedLength;
    private final List<SliverPairMetadata> hashes;

    public BlobMetadata(EncodingType encodingType, long unencodedLength, List<SliverPairMetadata> hashes) {
        if (unencodedLength < 0) {
            throw new IllegalArgumentException("unencoded length must not be negative, got " + unencodedLength);
        }
        this.encodingType = encodingType;
        this.unencodedLength = unencodedLength;
        this.hashes = List.copyOf(hashes);
    }

    public EncodingType encodingType() {
        return encodingType;
    }

    public long unencodedLength() {
        return unencodedLength;
    }

    /** Sliver pair hashes, indexed by sliver pair index. */
    public List<SliverPairMetadata> hashes() {
        return hashes;
    }

    public int shardCount() {
        return hashes.size();
    }

    /** The hash of a sliver by its <em>sliver</em> index: primary {@code i} is pair {@code i}, secondary {@code j} is pair {@code n-1-j}. */
    public MerkleNode sliverHash(SliverType type, int sliverIndex) {
        int n = hashes.size();
        if (sliverIndex < 0 || sliverIndex >= n) {
            throw new IndexOutOfBoundsException(type.wireName() + " sliver index " + sliverIndex + " is outside [0, " + n + ")");
        }
        return type == SliverType.PRIMARY ? hashes.get(sliverIndex).primaryHash() : hashes.get(n - 1 - sliverIndex).secondaryHash();
    }

    /** The Merkle root over the pairs; leaf {@code q} is {@code primaryHash(q) || secondaryHash(q)}. */
    public byte[] rootHash() {
        List<byte[]> leaves = new ArrayList<>(hashes.size());
        for (SliverPairMetadata pair : hashes) {
            leaves.add(pair.leaf());
        }
        return MerkleTree.of(leaves).root().bytes();
    }

    /** The blob ID these hashes commit to. */
    public BlobId computeBlobId() {
        return BlobId.derive(encodingType, unencodedLength, rootHash());
    }

    /** The symbol size of this blob's slivers under {@code config}. */
    public int symbolSize(EncodingConfig config) {
        return config.symbolSize(unencodedLength);
    }

    public byte[] toBcs() {
        BcsWriter w = new BcsWriter();
        writeBcs(w);
        return w.toByteArray();
    }

    public void writeBcs(BcsWriter w) {
        w.uleb128(VARIANT_V1);
        w.uleb128(encodingType.tag());
        w.u64(unencodedLength);
        w.uleb128(hashes.size());
        for (SliverPairMetadata pair : hashes) {
            writeNode(w, pair.primaryHash());
            writeNode(w, pair.secondaryHash());
        }
    }

    public static BlobMetadata fromBcs(byte[] bcs) {
        BcsReader r = new BcsReader(bcs);
        BlobMetadata metadata = readBcs(r);
        r.expectEnd();
        return metadata;
    }

    public static BlobMetadata readBcs(BcsReader r) {
        long variant = r.uleb128(Integer.MAX_VALUE);
        if (variant != VARIANT_V1) {
            throw new IllegalArgumentException("unknown blob metadata variant " + variant + " (only V1 = 0 exists)");
        }
        EncodingType type = EncodingType.fromTag((int) r.uleb128(Integer.MAX_VALUE));
        long length = r.u64();
        if (length < 0) {
            throw new IllegalArgumentException("unencoded length " + Long.toUnsignedString(length) + " does not fit in 63 bits");
        }
        int n = (int) r.uleb128(EncodingConfig.MAX_SHARDS);
        List<SliverPairMetadata> hashes = new ArrayList<>(n);
        for (int q = 0; q < n; q++) {
            hashes.add(new SliverPairMetadata(readNode(r), readNode(r)));
        }
        return new BlobMetadata(type, length, hashes);
    }

    static void writeNode(BcsWriter w, MerkleNode node) {
        if (node.isEmpty()) {
            w.uleb128(NODE_EMPTY);
        } else {
            w.uleb128(NODE_DIGEST);
            w.fixedBytes(node.bytes());
        }
    }

    static MerkleNode readNode(BcsReader r) {
        long tag = r.uleb128(Integer.MAX_VALUE);
        if (tag == NODE_EMPTY) {
            return MerkleNode.EMPTY;
        }
        if (tag == NODE_DIGEST) {
            return MerkleNode.digest(r.fixedBytes(32));
        }
        throw new IllegalArgumentException("Merkle node tag must be 0 (Empty) or 1 (Digest), got " + tag);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobMetadata m && m.encodingType == encodingType && m.unencodedLength == unencodedLength
                && m.hashes.equals(hashes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(unencodedLength) * 31 + hashes.hashCode();
    }

    @Override
    public String toString() {
        return "BlobMetadata[" + encodingType + ", length=" + unencodedLength + ", pairs=" + hashes.size() + "]";
    }
}
