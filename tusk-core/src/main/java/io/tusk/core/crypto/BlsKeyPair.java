package io.tusk.core.crypto;

import org.bouncycastle.crypto.bls.BLS12_381BasicScheme;
import org.bouncycastle.crypto.bls.BLS12_381G1;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * A BLS12-381 min_pk key pair, the protocol key of a storage node.
 *
 * <p>The secret is the scalar as 32 big-endian bytes, the form fastcrypto and blst use ({@code SecretKey::to_bytes}),
 * and must lie in {@code [1, r)}. Signing uses the basic scheme, DST
 * {@code BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_}. Immutable and thread-safe. {@link #toString} hides the secret.
 */
public final class BlsKeyPair {
    public static final int SECRET_LENGTH = 32;

    private final BigInteger secret; // INV: 0 < secret < r
    private final BlsPublicKey publicKey;

    private BlsKeyPair(BigInteger secret) {
        this.secret = secret;
        this.publicKey = Blst.AVAILABLE ? BlsPublicKey.ofTrustedBytes(Blst.publicKey(secret()))
                : BlsPublicKey.ofPoint(BLS12_381BasicScheme.skToPk(secret));
    }

    /** A fresh key pair: IETF KeyGen over 32 random bytes with an empty info, as blst's {@code key_gen}. */
    public static BlsKeyPair generate(SecureRandom random) {
        byte[] ikm = new byte[32];
        random.nextBytes(ikm);
        return new BlsKeyPair(BLS12_381BasicScheme.keyGen(ikm, new byte[0]));
    }

    /**
     * The key pair of a 32-byte big-endian secret scalar.
     *
     * @throws IllegalArgumentException if the length is wrong or the scalar is 0 or not below the group order
     */
    public static BlsKeyPair fromSecret(byte[] secret) {
        if (secret == null || secret.length != SECRET_LENGTH) {
            throw new IllegalArgumentException("BLS secret key must be " + SECRET_LENGTH + " bytes, got "
                    + (secret == null ? "null" : secret.length));
        }
        BigInteger scalar = new BigInteger(1, secret);
        if (scalar.signum() == 0 || scalar.compareTo(BLS12_381G1.ORDER) >= 0) {
            throw new IllegalArgumentException("BLS secret key must be a scalar in [1, r)");
        }
        return new BlsKeyPair(scalar);
    }

    /** The secret scalar as 32 big-endian bytes (a copy). */
    public byte[] secret() {
        byte[] magnitude = secret.toByteArray(); // may carry a leading sign byte or be shorter than 32
        byte[] out = new byte[SECRET_LENGTH];
        int copy = Math.min(magnitude.length, SECRET_LENGTH);
        System.arraycopy(magnitude, magnitude.length - copy, out, SECRET_LENGTH - copy, copy);
        return out;
    }

    public BlsPublicKey publicKey() {
        return publicKey;
    }

    /** Signs {@code message} (the exact bytes; no hashing or intent is added here). */
    public BlsSignature sign(byte[] message) {
        return Blst.AVAILABLE ? BlsSignature.ofTrustedBytes(Blst.sign(secret(), message))
                : BlsSignature.ofPoint(BLS12_381BasicScheme.sign(secret, message));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlsKeyPair other && secret.equals(other.secret);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    @Override
    public String toString() {
        return "BlsKeyPair[public=" + publicKey.toBase64() + "]";
    }
}
