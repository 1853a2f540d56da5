package io.tusk.core.crypto;

import org.bouncycastle.crypto.bls.BLS12_381Aggregation;
import org.bouncycastle.crypto.bls.BLS12_381G2Point;
import org.bouncycastle.crypto.bls.BLS12_381Serialization;
import org.bouncycastle.crypto.bls.BLS12_381SubgroupCheck;

import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;

/**
 * A BLS12-381 min_pk signature: a G2 point, 96 bytes compressed.
 *
 * <p>{@link #fromBytes} accepts only points on the curve and in the prime-order subgroup, not the identity (blst's
 * {@code sig_validate} with the infinity check). Immutable and thread-safe; equality is by the compressed bytes.
 */
public final class BlsSignature {
    public static final int LENGTH = 96;

    private final byte[] bytes; // INV: a valid signature (on the curve, in the subgroup, not the identity)
    /** Bouncy Castle's point, made when first needed (never when blst does the work). */
    private volatile BLS12_381G2Point point; // INV: null or compresses to bytes

    private BlsSignature(byte[] bytes, BLS12_381G2Point point) {
        this.bytes = bytes;
        this.point = point;
    }

    /** Wraps bytes this package computed itself (blst output): no validation. */
    static BlsSignature ofTrustedBytes(byte[] bytes) {
        return new BlsSignature(bytes, null);
    }

    static BlsSignature ofPoint(BLS12_381G2Point point) {
        return new BlsSignature(BLS12_381Serialization.compressG2(point), point);
    }

    /**
     * Decodes a compressed G2 point.
     *
     * @throws IllegalArgumentException if the bytes are not 96 long, not a point on the curve, the identity, or
     *     outside the prime-order subgroup
     */
    public static BlsSignature fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("BLS signature must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        if (Blst.AVAILABLE) {
            Blst.validateSignature(bytes);
            return new BlsSignature(bytes.clone(), null);
        }
        BLS12_381G2Point point = decompress(bytes);
        if (point.isInfinity()) {
            throw new IllegalArgumentException("BLS signature is the identity point");
        }
        if (!BLS12_381SubgroupCheck.isInG2Subgroup(point)) {
            throw new IllegalArgumentException("BLS signature is not in the G2 prime-order subgroup");
        }
        return new BlsSignature(bytes.clone(), point);
    }

    private static BLS12_381G2Point decompress(byte[] bytes) {
        try {
            return BLS12_381Serialization.decompressG2(bytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("BLS signature is not a valid compressed G2 point: " + e.getMessage(), e);
        }
    }

    /** Decodes standard base64 (with padding) of the 96 bytes. */
    public static BlsSignature fromBase64(String text) {
        return fromBytes(Bls.decodeBase64(text, "BLS signature", LENGTH));
    }

    /**
     * The sum of the signatures (equal byte for byte to fastcrypto's {@code aggregate}).
     *
     * @throws IllegalArgumentException if the collection is empty or the sum is the identity
     */
    public static BlsSignature aggregate(Collection<BlsSignature> signatures) {
        if (signatures.isEmpty()) {
            throw new IllegalArgumentException("cannot aggregate zero BLS signatures");
        }
        if (Blst.AVAILABLE) {
            byte[] sum = Blst.aggregateSignatures(signatures);
            if (sum == null) {
                throw new IllegalArgumentException("the aggregate of " + signatures.size() + " BLS signatures is the identity");
            }
            return ofTrustedBytes(sum);
        }
        BLS12_381G2Point[] points = new BLS12_381G2Point[signatures.size()];
        int i = 0;
        for (BlsSignature signature : signatures) {
            points[i++] = signature.point();
        }
        BLS12_381G2Point sum = BLS12_381Aggregation.aggregate(points);
        if (sum.isInfinity()) {
            throw new IllegalArgumentException("the aggregate of " + points.length + " BLS signatures is the identity");
        }
        return ofPoint(sum);
    }

    /** The 96 compressed bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Standard base64 with padding (128 characters). */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The compressed bytes themselves (not a copy): for this package only. */
    byte[] encoded() {
        return bytes;
    }

    BLS12_381G2Point point() {
        BLS12_381G2Point p = point;
        if (p == null) {
            p = decompress(bytes);
            point = p;
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlsSignature other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "BlsSignature[" + toBase64() + "]";
    }
}
