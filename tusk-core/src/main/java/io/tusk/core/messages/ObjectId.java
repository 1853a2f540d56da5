package io.tusk.core.messages;

import io.tusk.core.crypto.Hex32;
import io.tusk.core.hash.Blake2b256;

import java.util.Arrays;

/**
 * A 32-byte object ID (a blob object, a storage resource, a node), shown as {@code 0x} + 64 lowercase hex digits
 * like a Sui object ID. Equality is by content.
 *
 * @param bytes the 32 bytes (copied in and out)
 */
public record ObjectId(byte[] bytes) implements Comparable<ObjectId> {
    public static final int LENGTH = 32;

    public ObjectId {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("object ID must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        bytes = bytes.clone();
    }

    /** Parses {@code 0x} + 1..64 hex digits (left-padded) or 64 hex digits without {@code 0x}. */
    public static ObjectId parse(String text) {
        return new ObjectId(Hex32.parse(text, "object ID"));
    }

    /**
     * A deterministic ID: Blake2b-256 of the parts concatenated. Callers choose parts that cannot collide, e.g. a
     * fixed domain tag followed by fixed-length fields.
     */
    public static ObjectId derive(byte[]... parts) {
        Blake2b256 hash = new Blake2b256();
        for (byte[] part : parts) {
            hash.update(part);
        }
        return new ObjectId(hash.digest());
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(ObjectId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return Hex32.format(bytes);
    }
}
