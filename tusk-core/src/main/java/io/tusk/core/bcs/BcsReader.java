package io.tusk.core.bcs;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads BCS values from a byte range, strictly: ULEB128 must be canonical, bools must be 0 or 1, strings must
 * be valid UTF-8, lengths are bounded by the caller, and {@link #expectEnd()} rejects trailing input.
 *
 * <p>Every failure is a {@link BcsException} naming what was being read, the offset (relative to the start
 * of the range) and the numbers, e.g. "truncated: need 32 bytes for [u8; 32] at offset 10, have 4".
 * The reader does not copy the input; {@link #bytes(int)} and {@link #fixedBytes(int)} return copies.
 * Not thread-safe.
 */
public final class BcsReader {

    private final byte[] data;
    private final int start;
    private final int end;
    private int position;

    /** Reads all of {@code data}. */
    public BcsReader(byte[] data) {
        this(data, 0, data.length);
    }

    /** Reads {@code data[offset .. offset+length)}. */
    public BcsReader(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        this.data = data;
        this.start = offset;
        this.end = offset + length;
        this.position = offset;
    }

    /** Reads a u8, returned as 0..255. */
    public int u8() {
        need(1, "u8");
        return data[position++] & 0xff;
    }

    /** Reads a little-endian u16, returned as 0..65535. */
    public int u16() {
        need(2, "u16");
        int value = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8;
        position += 2;
        return value;
    }

    /** Reads a little-endian u32, returned as 0..4294967295. */
    public long u32() {
        need(4, "u32");
        long value = 0;
        for (int i = 0; i < 4; i++) {
            value |= (data[position + i] & 0xffL) << (8 * i);
        }
        position += 4;
        return value;
    }

    /** Reads a little-endian u64; values of 2^63 and above come back negative (use the unsigned methods of Long). */
    public long u64() {
        need(8, "u64");
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (data[position + i] & 0xffL) << (8 * i);
        }
        position += 8;
        return value;
    }

    /**
     * Reads a canonical ULEB128 value no larger than {@code max} (compared unsigned).
     *
     * @throws BcsException if truncated, non-canonical (a redundant trailing zero group such as
     *                      {@code 80 00}), wider than 64 bits, or above {@code max}
     */
    public long uleb128(long max) {
        int at = position;
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            if (position >= end) {
                throw new BcsException("truncated: ULEB128 at offset " + (at - start) + " has no final byte within "
                        + (end - at) + " bytes", at - start);
            }
            int b = data[position++] & 0xff;
            int group = b & 0x7f;
            if (shift == 63 && group > 1) {
                throw new BcsException("ULEB128 at offset " + (at - start) + " exceeds 64 bits", at - start);
            }
            value |= (long) group << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw new BcsException("non-canonical ULEB128 at offset " + (at - start) + ": "
                            + (position - at) + " bytes with a zero final byte", at - start);
                }
                break;
            }
            if (shift == 63) {
                throw new BcsException("ULEB128 at offset " + (at - start) + " exceeds 64 bits", at - start);
            }
        }
        if (Long.compareUnsigned(value, max) > 0) {
            throw new BcsException("ULEB128 value " + Long.toUnsignedString(value) + " at offset " + (at - start)
                    + " exceeds the limit " + Long.toUnsignedString(max), at - start);
        }
        return value;
    }

    /** Reads a sequence length (ULEB128) of at most {@code maxLength}. */
    public int length(int maxLength, String what) {
        int at = position;
        long value = uleb128(Long.MAX_VALUE);
        if (value > maxLength) {
            throw new BcsException(what + " length " + value + " at offset " + (at - start) + " exceeds the limit "
                    + maxLength, at - start);
        }
        return (int) value;
    }

    /**
     * Skips {@code n} bytes without copying them, as for a {@code vec<u8>} whose length was read with {@link #length}.
     *
     * @return the index in the reader's array of the first byte skipped
     */
    public int skip(int n, String what) {
        need(n, what);
        int at = position;
        position += n;
        return at;
    }

    /** Reads an enum variant tag (ULEB128) that must be below {@code variantCount}. */
    public int enumTag(int variantCount, String enumName) {
        int at = position;
        long tag = uleb128(Long.MAX_VALUE);
        if (tag >= variantCount) {
            throw new BcsException("unknown " + enumName + " variant " + tag + " at offset " + (at - start)
                    + " (expected 0.." + (variantCount - 1) + ")", at - start);
        }
        return (int) tag;
    }

    /** Reads a bool, which must be the byte 0 or 1. */
    public boolean bool() {
        need(1, "bool");
        int b = data[position] & 0xff;
        if (b > 1) {
            throw new BcsException("bool at offset " + (position - start) + " is " + b + ", expected 0 or 1",
                    position - start);
        }
        position++;
        return b == 1;
    }

    /** Reads a {@code vec<u8>} (ULEB128 length, then bytes) of at most {@code maxLength} bytes. */
    public byte[] bytes(int maxLength) {
        int length = length(maxLength, "vec<u8>");
        return take(length, "vec<u8>");
    }

    /** Reads {@code n} bytes with no length prefix, as for {@code [u8; n]}. */
    public byte[] fixedBytes(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("fixed length " + n + " is negative");
        }
        return take(n, "[u8; " + n + "]");
    }

    /** Reads a UTF-8 string (ULEB128 byte length, then bytes) of at most {@code maxLength} bytes. */
    public String string(int maxLength) {
        int at = position;
        byte[] bytes = bytes(maxLength);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BcsException("string at offset " + (at - start) + " (" + bytes.length
                    + " bytes) is not valid UTF-8", at - start);
        }
    }

    /** Bytes left to read. */
    public int remaining() {
        return end - position;
    }

    /** Current offset relative to the start of the range. */
    public int position() {
        return position - start;
    }

    /** Throws if any input is left: trailing bytes are an error in BCS. */
    public void expectEnd() {
        if (position != end) {
            throw new BcsException("trailing input: " + (end - position) + " bytes left at offset "
                    + (position - start) + " of " + (end - start), position - start);
        }
    }

    private byte[] take(int n, String what) {
        need(n, what);
        byte[] out = Arrays.copyOfRange(data, position, position + n);
        position += n;
        return out;
    }

    private void need(int n, String what) {
        if (end - position < n) {
            throw new BcsException("truncated: need " + n + " bytes for " + what + " at offset " + (position - start)
                    + ", have " + (end - position), position - start);
        }
    }
}
