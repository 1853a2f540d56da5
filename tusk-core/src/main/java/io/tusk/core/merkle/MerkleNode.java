package io.tusk.core.merkle;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Merkle tree node as Walrus serializes it: the BCS enum {@code 0 Empty | 1 Digest([u8; 32])}.
 *
 * <p>{@link #EMPTY} stands for the padding node of an odd level (and the root of an empty tree). Its value is
 * 32 zero bytes, used as is when hashing its parent; it is never hashed itself. As in Walrus, {@code Empty} and
 * {@code Digest} of 32 zeros are different nodes (they serialize differently) with the same value.
 *
 * <p>Immutable.
 */
public final class MerkleNode {

    /** Length of a node value in bytes. */
    public static final int LENGTH = 32;

    /** The Empty node: value 32 zero bytes, BCS {@code 00}. */
    public static final MerkleNode EMPTY = new MerkleNode(new byte[LENGTH], true);

    private static final int TAG_EMPTY = 0;
    private static final int TAG_DIGEST = 1;

    // INV: value.length == 32, never exposed; all zeros when empty.
    private final byte[] value;
    private final boolean empty;

    private MerkleNode(byte[] value, boolean empty) {
        this.value = value;
        this.empty = empty;
    }

    /**
     * A Digest node holding a copy of {@code digest}.
     *
     * @throws IllegalArgumentException if {@code digest} is not 32 bytes
     */
    public static MerkleNode digest(byte[] digest) {
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("Merkle digest must be 32 bytes, got " + digest.length);
        }
        return new MerkleNode(digest.clone(), false);
    }

    /** A Digest node holding a copy of {@code data[offset .. offset+32)}. */
    public static MerkleNode digest(byte[] data, int offset) {
        Objects.checkFromIndexSize(offset, LENGTH, data.length);
        return new MerkleNode(Arrays.copyOfRange(data, offset, offset + LENGTH), false);
    }

    /** Whether this is the Empty node. */
    public boolean isEmpty() {
        return empty;
    }

    /** A copy of the 32-byte value (zeros for Empty). */
    public byte[] bytes() {
        return value.clone();
    }

    /** Copies the 32-byte value to {@code out[offset .. offset+32)}. */
    public void copyTo(byte[] out, int offset) {
        System.arraycopy(value, 0, out, offset, LENGTH);
    }

    /** Whether this node's value equals {@code other} (32 bytes), in time independent of the contents. */
    public boolean valueEquals(byte[] other) {
        return java.security.MessageDigest.isEqual(value, other);
    }

    /** Appends the BCS form: {@code 00} for Empty, {@code 01} and the 32 bytes for a Digest. */
    public void writeBcs(BcsWriter w) {
        if (empty) {
            w.uleb128(TAG_EMPTY);
        } else {
            w.uleb128(TAG_DIGEST).fixedBytes(value);
        }
    }

    /** Reads the BCS form written by {@link #writeBcs}. */
    public static MerkleNode readBcs(BcsReader r) {
        int tag = r.enumTag(2, "MerkleNode");
        return tag == TAG_EMPTY ? EMPTY : new MerkleNode(r.fixedBytes(LENGTH), false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MerkleNode other && empty == other.empty && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return empty ? 0 : Arrays.hashCode(value);
    }

    /** "Empty", or the digest as lowercase hex. */
    @Override
    public String toString() {
        return empty ? "Empty" : HexFormat.of().formatHex(value);
    }
}
