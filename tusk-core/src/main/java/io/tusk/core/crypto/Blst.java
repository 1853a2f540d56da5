package io.tusk.core.crypto;

import supranational.blst.BLST_ERROR;
import supranational.blst.P1;
import supranational.blst.P1_Affine;
import supranational.blst.P2;
import supranational.blst.P2_Affine;
import supranational.blst.SecretKey;

import java.util.Collection;

/**
 * BLS12-381 min_pk on supranational's blst (native, through the {@code tech.pegasys:jblst} binding): about ten times
 * faster than Bouncy Castle, which remains the fallback where the native library cannot load. Both give the same
 * bytes (BLS signatures are deterministic); {@code BlsBackendsTest} checks that they agree. Works on compressed
 * encodings only, so callers keep no native objects.
 */
final class Blst {
    /** The basic scheme's DST, as Walrus (fastcrypto) signs. */
    static final String DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_";

    /** Whether blst loaded; {@code -Dtusk.bls=bc} forces Bouncy Castle (for comparisons). */
    static final boolean AVAILABLE = load();

    private Blst() {
    }

    private static boolean load() {
        if ("bc".equals(System.getProperty("tusk.bls"))) {
            return false;
        }
        try {
            new P1_Affine(P1_Affine.generator().compress()); // loads the native library and exercises it once
            return true;
        } catch (Throwable unavailable) { // UnsatisfiedLinkError on a platform without a bundled library
            return false;
        }
    }

    static byte[] publicKey(byte[] secret) {
        return new P1(secretKey(secret)).compress();
    }

    static byte[] sign(byte[] secret, byte[] message) {
        return new P2().hash_to(message, DST).sign_with(secretKey(secret)).compress();
    }

    /** Verifies with the signature checked to be in G2; the key was validated when parsed. */
    static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        try {
            return new P2_Affine(signature).core_verify(new P1_Affine(publicKey), true, message, DST)
                    == BLST_ERROR.BLST_SUCCESS;
        } catch (RuntimeException invalidEncoding) {
            return false;
        }
    }

    /** @throws IllegalArgumentException naming the problem, as {@link BlsPublicKey#fromBytes} documents */
    static void validatePublicKey(byte[] bytes) {
        P1_Affine point;
        try {
            point = new P1_Affine(bytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("BLS public key is not a valid compressed G1 point: " + e.getMessage(), e);
        }
        if (point.is_inf()) {
            throw new IllegalArgumentException("BLS public key is the identity point");
        }
        if (!point.in_group()) {
            throw new IllegalArgumentException("BLS public key is not in the G1 prime-order subgroup");
        }
    }

    /** @throws IllegalArgumentException naming the problem, as {@link BlsSignature#fromBytes} documents */
    static void validateSignature(byte[] bytes) {
        P2_Affine point;
        try {
            point = new P2_Affine(bytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("BLS signature is not a valid compressed G2 point: " + e.getMessage(), e);
        }
        if (point.is_inf()) {
            throw new IllegalArgumentException("BLS signature is the identity point");
        }
        if (!point.in_group()) {
            throw new IllegalArgumentException("BLS signature is not in the G2 prime-order subgroup");
        }
    }

    /** The compressed sum of validated public keys; null if it is the identity. */
    static byte[] aggregatePublicKeys(Collection<BlsPublicKey> keys) {
        P1 sum = new P1();
        for (BlsPublicKey key : keys) {
            sum.add(new P1_Affine(key.encoded()));
        }
        return sum.is_inf() ? null : sum.compress();
    }

    /** The compressed sum of validated signatures; null if it is the identity. */
    static byte[] aggregateSignatures(Collection<BlsSignature> signatures) {
        P2 sum = new P2();
        for (BlsSignature signature : signatures) {
            sum.add(new P2_Affine(signature.encoded()));
        }
        return sum.is_inf() ? null : sum.compress();
    }

    private static SecretKey secretKey(byte[] secret) {
        SecretKey key = new SecretKey();
        key.from_bendian(secret);
        return key;
    }
}
