package io.tusk.core.hash;

import java.util.Objects;

/**
 * Blake2b with a 32-byte digest and no key, salt or personalization (RFC 7693), the hash H of Walrus
 * (fastcrypto {@code Blake2b256}, Python {@code hashlib.blake2b(digest_size=32)}).
 *
 * <p>Use the static {@link #hash(byte[])} for one-shot hashing, or an instance for incremental hashing:
 * {@code new Blake2b256().update(a).update(b).digest()}. An instance is reusable: {@link #digest()} resets it.
 * Instances are not thread-safe; the static methods are.
 *
 * <p>For many equal-length messages (Merkle leaves and inner nodes) use {@link Blake2b256Batch}, which
 * hashes several messages at once with the Vector API.
 */
public final class Blake2b256 {

    /** Digest length in bytes. */
    public static final int DIGEST_LENGTH = 32;

    private final long[] s = new long[Blake2bCompress.STATE_WORDS];
    private final byte[] buffer = new byte[Blake2bCompress.BLOCK];
    // INV: 0 <= bufferLength <= 128; a full buffer is only compressed once more input arrives, because the
    // final block must be compressed with the finalization flag.
    private int bufferLength;
    /** Bytes compressed so far, as a 128-bit counter (t1:t0). */
    private long t0;
    private long t1;

    /** Creates a hasher in its initial state. */
    public Blake2b256() {
        reset();
    }

    /** Returns Blake2b-256 of {@code data}. */
    public static byte[] hash(byte[] data) {
        return hash(data, 0, data.length);
    }

    /**
     * Returns Blake2b-256 of {@code data[offset .. offset+length)}. Allocates the result and one 320-byte
     * working array; for many equal-length messages {@link Blake2b256Batch} allocates nothing per message.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code data}
     */
    public static byte[] hash(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        long[] state = new long[Blake2bCompress.STATE_WORDS];
        Blake2bCompress.init(state);
        long counter = 0;
        int pos = offset;
        int end = offset + length;
        while (end - pos > Blake2bCompress.BLOCK) {
            Blake2bCompress.loadBlock(state, data, pos);
            counter += Blake2bCompress.BLOCK;
            Blake2bCompress.compress(state, counter, 0, false);
            pos += Blake2bCompress.BLOCK;
        }
        Blake2bCompress.loadPartialBlock(state, data, pos, end - pos);
        counter += end - pos;
        Blake2bCompress.compress(state, counter, 0, true);
        byte[] out = new byte[DIGEST_LENGTH];
        Blake2bCompress.storeDigest(state, out, 0);
        return out;
    }

    /** Adds one byte. */
    public Blake2b256 update(byte b) {
        if (bufferLength == Blake2bCompress.BLOCK) {
            compressBuffer();
        }
        buffer[bufferLength++] = b;
        return this;
    }

    /** Adds all of {@code data}. */
    public Blake2b256 update(byte[] data) {
        return update(data, 0, data.length);
    }

    /**
     * Adds {@code data[offset .. offset+length)}.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code data}
     */
    public Blake2b256 update(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length == 0) {
            return this;
        }
        int pos = offset;
        int end = offset + length;
        // Top up a partly filled buffer first.
        if (bufferLength > 0) {
            int take = Math.min(Blake2bCompress.BLOCK - bufferLength, end - pos);
            System.arraycopy(data, pos, buffer, bufferLength, take);
            bufferLength += take;
            pos += take;
            if (pos == end) {
                return this;
            }
            compressBuffer();
        }
        // Compress whole blocks straight from the input, keeping at least one byte back for the final block.
        while (end - pos > Blake2bCompress.BLOCK) {
            Blake2bCompress.loadBlock(s, data, pos);
            addToCounter(Blake2bCompress.BLOCK);
            Blake2bCompress.compress(s, t0, t1, false);
            pos += Blake2bCompress.BLOCK;
        }
        System.arraycopy(data, pos, buffer, 0, end - pos);
        bufferLength = end - pos;
        return this;
    }

    /** Finishes the hash, returns the 32-byte digest and resets this hasher. */
    public byte[] digest() {
        byte[] out = new byte[DIGEST_LENGTH];
        digest(out, 0);
        return out;
    }

    /**
     * Finishes the hash, writes the 32-byte digest to {@code out[outOffset .. outOffset+32)} and resets this
     * hasher.
     *
     * @throws IndexOutOfBoundsException if fewer than 32 bytes fit at {@code outOffset}
     */
    public void digest(byte[] out, int outOffset) {
        Objects.checkFromIndexSize(outOffset, DIGEST_LENGTH, out.length);
        Blake2bCompress.loadPartialBlock(s, buffer, 0, bufferLength);
        addToCounter(bufferLength);
        Blake2bCompress.compress(s, t0, t1, true);
        Blake2bCompress.storeDigest(s, out, outOffset);
        reset();
    }

    /** Returns this hasher to its initial state, discarding any input. */
    public void reset() {
        Blake2bCompress.init(s);
        bufferLength = 0;
        t0 = 0;
        t1 = 0;
    }

    private void compressBuffer() {
        Blake2bCompress.loadBlock(s, buffer, 0);
        addToCounter(Blake2bCompress.BLOCK);
        Blake2bCompress.compress(s, t0, t1, false);
        bufferLength = 0;
    }

    private void addToCounter(int bytes) {
        long before = t0;
        t0 += bytes;
        if (Long.compareUnsigned(t0, before) < 0) {
            t1++;
        }
    }
}
