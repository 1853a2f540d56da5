package io.tusk.core.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * An Ed25519 key pair (RFC 8032, pure Ed25519), the signing key of a control-plane account. The secret is the
 * 32-byte seed. Immutable and thread-safe. {@link #toString} hides the secret.
 */
public final class Ed25519KeyPair {
    public static final int SECRET_LENGTH = 32;

    private final byte[] secret;
    private final byte[] publicBytes;
    private final Ed25519PublicKey publicKey;

    private Ed25519KeyPair(byte[] secret) {
        this.secret = secret;
        this.publicBytes = new byte[Ed25519PublicKey.LENGTH];
        Ed25519.generatePublicKey(secret, 0, publicBytes, 0);
        this.publicKey = Ed25519PublicKey.fromBytes(publicBytes);
    }

    public static Ed25519KeyPair generate(SecureRandom random) {
        byte[] secret = new byte[SECRET_LENGTH];
        Ed25519.generatePrivateKey(random, secret);
        return new Ed25519KeyPair(secret);
    }

    /** The key pair of a 32-byte seed; any 32 bytes are a valid seed. */
    public static Ed25519KeyPair fromSecret(byte[] secret) {
        if (secret == null || secret.length != SECRET_LENGTH) {
            throw new IllegalArgumentException("Ed25519 secret key must be " + SECRET_LENGTH + " bytes, got "
                    + (secret == null ? "null" : secret.length));
        }
        return new Ed25519KeyPair(secret.clone());
    }

    /** The 32-byte seed (a copy). */
    public byte[] secret() {
        return secret.clone();
    }

    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    /** The 64-byte signature of {@code message}. */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[Ed25519PublicKey.SIGNATURE_LENGTH];
        Ed25519.sign(secret, 0, publicBytes, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519KeyPair other && Arrays.equals(secret, other.secret);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    @Override
    public String toString() {
        return "Ed25519KeyPair[public=" + publicKey.toBase64() + "]";
    }
}
