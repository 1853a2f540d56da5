package io.tusk.core.bcs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Appends BCS (Binary Canonical Serialization, as in the Rust {@code bcs} crate and {@code @mysten/bcs})
 * values to a growable buffer: integers little-endian, sequence lengths and enum tags as ULEB128, fixed-size
 * arrays without a length prefix.
 *
 * <p>Methods return {@code this} for chaining. Values out of a type's range throw
 * {@link IllegalArgumentException} naming the value. Not thread-safe.
 */
public final class BcsWriter {

    private byte[] buffer;
    private int size;

    public BcsWriter() {
        this(64);
    }

    /** Creates a writer whose buffer starts at {@code initialCapacity} bytes (it grows as needed). */
    public BcsWriter(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity " + initialCapacity + " is negative");
        }
        buffer = new byte[Math.max(initialCapacity, 16)];
    }

    /** Appends a u8; {@code value} must be in 0..255. */
    public BcsWriter u8(int value) {
        if ((value & ~0xff) != 0) {
            throw new IllegalArgumentException("u8 value " + value + " is outside 0..255");
        }
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    /** Appends a u16 (2 bytes little-endian); {@code value} must be in 0..65535. */
    public BcsWriter u16(int value) {
        if ((value & ~0xffff) != 0) {
            throw new IllegalArgumentException("u16 value " + value + " is outside 0..65535");
        }
        ensure(2);
        buffer[size++] = (byte) value;
        buffer[size++] = (byte) (value >>> 8);
        return this;
    }

    /** Appends a u32 (4 bytes little-endian); {@code value} must be in 0..4294967295. */
    public BcsWriter u32(long value) {
        if ((value & ~0xffff_ffffL) != 0) {
            throw new IllegalArgumentException("u32 value " + value + " is outside 0..4294967295");
        }
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buffer[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    /** Appends a u64 (8 bytes little-endian); {@code value} is read as unsigned, so -1 is 2^64-1. */
    public BcsWriter u64(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buffer[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    /** Appends {@code value} (read as unsigned) as canonical ULEB128: 7 bits per byte, low bits first. */
    public BcsWriter uleb128(long value) {
        ensure(uleb128Size(value));
        long rest = value;
        while ((rest & ~0x7fL) != 0) {
            buffer[size++] = (byte) ((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        buffer[size++] = (byte) rest;
        return this;
    }

    /** Appends a bool as one byte, 0 or 1. */
    public BcsWriter bool(boolean value) {
        ensure(1);
        buffer[size++] = (byte) (value ? 1 : 0);
        return this;
    }

    /** Appends a {@code vec<u8>}: the ULEB128 length, then the bytes. */
    public BcsWriter bytes(byte[] value) {
        return bytes(value, 0, value.length);
    }

    /** Appends {@code value[offset .. offset+length)} as a {@code vec<u8>}: the ULEB128 length, then the bytes. */
    public BcsWriter bytes(byte[] value, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, value.length);
        uleb128(length);
        return fixedBytes(value, offset, length);
    }

    /** Appends the bytes with no length prefix, as for a fixed-size array such as {@code [u8;32]}. */
    public BcsWriter fixedBytes(byte[] value) {
        return fixedBytes(value, 0, value.length);
    }

    /** Appends {@code value[offset .. offset+length)} with no length prefix. */
    public BcsWriter fixedBytes(byte[] value, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, value.length);
        ensure(length);
        System.arraycopy(value, offset, buffer, size, length);
        size += length;
        return this;
    }

    /** Appends a string as its UTF-8 bytes with a ULEB128 length prefix. */
    public BcsWriter string(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Number of bytes written so far. */
    public int size() {
        return size;
    }

    /** Returns a copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /**
     * Returns the bytes written and ends the writer's use: the buffer itself when it is exactly full (a writer sized
     * with {@link #uleb128Size} and friends up front), so large values such as slivers are not copied again.
     */
    public byte[] finish() {
        byte[] bytes = size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
        buffer = new byte[0];
        size = 0;
        return bytes;
    }

    /** The number of bytes {@link #uleb128} writes for {@code value}. */
    public static int uleb128Size(long value) {
        int bytes = 1;
        while ((value >>>= 7) != 0) {
            bytes++;
        }
        return bytes;
    }

    private void ensure(int extra) {
        if (buffer.length - size < extra) {
            long wanted = Math.max((long) buffer.length * 2, (long) size + extra);
            if (wanted > Integer.MAX_VALUE - 8) {
                if ((long) size + extra > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("BCS output of " + size + " + " + extra
                            + " bytes exceeds the maximum array size");
                }
                wanted = Integer.MAX_VALUE - 8;
            }
            buffer = Arrays.copyOf(buffer, (int) wanted);
        }
    }
}
