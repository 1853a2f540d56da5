package io.tusk.core.crypto;

import io.tusk.core.hash.Blake2b256;

import java.util.Arrays;

/**
 * An account address, derived as Sui derives Ed25519 addresses: {@code Blake2b-256(0x00 || publicKey)}, where
 * {@code 0x00} is the Ed25519 signature-scheme flag.
 *
 * <p>Text form {@code 0x} + 64 lowercase hex digits; {@link #parse} also takes short forms (see {@link Hex32}).
 * Equality is by content.
 *
 * @param bytes the 32 address bytes (copied in and out)
 */
public record Address(byte[] bytes) implements Comparable<Address> {
    public static final int LENGTH = 32;
    /** Sui's flag byte for Ed25519 in address derivation. */
    static final byte ED25519_FLAG = 0x00;

    public Address {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("address must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        bytes = bytes.clone();
    }

    /** The address of an Ed25519 account key. */
    public static Address of(Ed25519PublicKey key) {
        byte[] preimage = new byte[1 + Ed25519PublicKey.LENGTH];
        preimage[0] = ED25519_FLAG;
        System.arraycopy(key.bytes(), 0, preimage, 1, Ed25519PublicKey.LENGTH);
        return new Address(Blake2b256.hash(preimage));
    }

    /** Parses {@code 0x} + 1..64 hex digits (left-padded) or 64 hex digits without {@code 0x}. */
    public static Address parse(String text) {
        return new Address(Hex32.parse(text, "address"));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Address o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return Hex32.format(bytes);
    }
}
