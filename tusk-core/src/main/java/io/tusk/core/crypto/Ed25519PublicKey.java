package io.tusk.core.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 public key (32 bytes, RFC 8032), the key of a control-plane account.
 *
 * <p>{@link #fromBytes} decodes the point once and rejects encodings that are not a point, or are of small order.
 * Immutable and thread-safe; equality is by the bytes.
 */
public final class Ed25519PublicKey {
    public static final int LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    private final byte[] bytes;
    private final Ed25519.PublicPoint point;
    private final Address address;

    private Ed25519PublicKey(byte[] bytes, Ed25519.PublicPoint point) {
        this.bytes = bytes;
        this.point = point;
        this.address = Address.of(this);
    }

    /**
     * Decodes a 32-byte public key.
     *
     * @throws IllegalArgumentException if the length is wrong or the bytes are not a valid full-order point
     */
    public static Ed25519PublicKey fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("Ed25519 public key must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(bytes, 0);
        if (point == null) {
            throw new IllegalArgumentException("Ed25519 public key is not a valid point of full order");
        }
        return new Ed25519PublicKey(bytes.clone(), point);
    }

    /** Decodes standard base64 (with padding) of the 32 bytes. */
    public static Ed25519PublicKey fromBase64(String text) {
        return fromBytes(Bls.decodeBase64(text, "Ed25519 public key", LENGTH));
    }

    /** The 32 bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Standard base64 with padding (44 characters). */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The Sui-style address of this key: {@code Blake2b-256(0x00 || key)}. */
    public Address address() {
        return address;
    }

    /** Verifies a 64-byte signature over {@code message}. Never throws: malformed input answers {@code false}. */
    public boolean verify(byte[] message, byte[] signature) {
        if (message == null || signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, point, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Ed25519PublicKey[" + toBase64() + "]";
    }
}
