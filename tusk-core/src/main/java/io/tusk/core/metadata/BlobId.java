package io.tusk.core.metadata;

import io.tusk.core.hash.Blake2b256;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;

/**
 * A blob ID: {@code Blake2b-256(encodingType u8 || unencodedLength u64 LE || rootHash)}, 32 bytes.
 *
 * <p>Text form: URL-safe base64 without padding (43 characters), parsed strictly. On Sui the same bytes are a Move
 * u256 read little-endian; the shard rotation reads them big-endian. Both readings are offered, named for their use.
 */
public final class BlobId implements Comparable<BlobId> {
    public static final int LENGTH = 32;
    private static final int TEXT_LENGTH = 43;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final byte[] bytes;

    private BlobId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static BlobId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("blob ID must be " + LENGTH + " bytes, got " + bytes.length);
        }
        return new BlobId(bytes.clone());
    }

    /** Derives the ID of a blob from its encoding type, length and Merkle root over the sliver pair hashes. */
    public static BlobId derive(EncodingType encodingType, long unencodedLength, byte[] rootHash) {
        if (rootHash.length != LENGTH) {
            throw new IllegalArgumentException("root hash must be " + LENGTH + " bytes, got " + rootHash.length);
        }
        byte[] preimage = new byte[1 + Long.BYTES + LENGTH];
        preimage[0] = (byte) encodingType.tag();
        for (int i = 0; i < Long.BYTES; i++) {
            preimage[1 + i] = (byte) (unencodedLength >>> (8 * i));
        }
        System.arraycopy(rootHash, 0, preimage, 1 + Long.BYTES, LENGTH);
        return new BlobId(Blake2b256.hash(preimage));
    }

    /**
     * Parses the base64url text form, strictly: 43 characters of the URL-safe alphabet, no padding, no non-zero
     * trailing bits.
     */
    public static BlobId parse(String text) {
        if (text.length() != TEXT_LENGTH) {
            throw new IllegalArgumentException("blob ID must be " + TEXT_LENGTH + " base64url characters, got "
                    + text.length() + ": '" + abbreviate(text) + "'");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("blob ID has a character outside base64url at position " + i + ": '"
                        + abbreviate(text) + "'");
            }
        }
        byte[] decoded = DECODER.decode(text);
        BlobId id = new BlobId(decoded);
        if (!id.toString().equals(text)) { // the last character carries 2 unused bits, which must be zero
            throw new IllegalArgumentException("blob ID has non-zero trailing bits: '" + text + "'");
        }
        return id;
    }

    /** Reads the Move u256 decimal form (little-endian bytes), as Sui explorers show blob IDs. */
    public static BlobId fromU256(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("a u256 blob ID must be in [0, 2^256), got " + value);
        }
        byte[] bigEndian = value.toByteArray();
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < LENGTH && i < bigEndian.length; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return new BlobId(out);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The Move u256 value of these bytes read little-endian (Walrus's on-chain and decimal form). */
    public BigInteger toU256() {
        byte[] bigEndian = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            bigEndian[i] = bytes[LENGTH - 1 - i];
        }
        return new BigInteger(1, bigEndian);
    }

    /**
     * The shard rotation: the ID bytes read as a big-endian integer, modulo {@code n}. Sliver pair {@code q} lives on
     * shard {@code (q + offset) mod n}; this is the opposite byte order of {@link #toU256()}.
     */
    public int rotationOffset(int shardCount) {
        if (shardCount < 1) {
            throw new IllegalArgumentException("shard count must be positive, got " + shardCount);
        }
        long offset = 0;
        for (byte b : bytes) {
            offset = ((offset << 8) + (b & 0xFF)) % shardCount;
        }
        return (int) offset;
    }

    /** The shard that stores sliver pair {@code pairIndex} of this blob. */
    public int shardForPair(int pairIndex, int shardCount) {
        checkIndex("sliver pair", pairIndex, shardCount);
        return (int) (((long) pairIndex + rotationOffset(shardCount)) % shardCount);
    }

    /** The sliver pair that shard {@code shardIndex} stores for this blob. */
    public int pairForShard(int shardIndex, int shardCount) {
        checkIndex("shard", shardIndex, shardCount);
        return (int) (((long) shardIndex - rotationOffset(shardCount) + shardCount) % shardCount);
    }

    private static void checkIndex(String what, int index, int shardCount) {
        if (index < 0 || index >= shardCount) {
            throw new IndexOutOfBoundsException(what + " index " + index + " is outside [0, " + shardCount + ")");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }

    @Override
    public String toString() {
        return ENCODER.encodeToString(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(BlobId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
