package io.tusk.core.crypto;

import org.bouncycastle.crypto.bls.BLS12_381BasicScheme;
import org.bouncycastle.crypto.bls.BLS12_381Serialization;
import org.bouncycastle.crypto.bls.BLS12_381SubgroupCheck;
import org.bouncycastle.math.ec.ECPoint;

import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;

/**
 * A BLS12-381 min_pk public key: a G1 point, 48 bytes compressed (the Zcash/IETF encoding fastcrypto and blst use).
 *
 * <p>{@link #fromBytes} accepts only points on the curve, in the prime-order subgroup, and not the identity, as
 * fastcrypto's key validation does. Immutable and thread-safe; equality is by the compressed bytes.
 */
public final class BlsPublicKey {
    public static final int LENGTH = 48;

    private final byte[] bytes; // INV: a valid key (on the curve, in the subgroup, not the identity)
    /** Bouncy Castle's point, made when first needed (never when blst does the work). */
    private volatile ECPoint point; // INV: null or normalized, on Bls.G1_CURVE, compresses to bytes

    private BlsPublicKey(byte[] bytes, ECPoint point) {
        this.bytes = bytes;
        this.point = point;
    }

    /** Wraps bytes this package computed itself (blst output): no validation. */
    static BlsPublicKey ofTrustedBytes(byte[] bytes) {
        return new BlsPublicKey(bytes, null);
    }

    static BlsPublicKey ofPoint(ECPoint point) {
        ECPoint normalized = point.normalize();
        return new BlsPublicKey(BLS12_381Serialization.compressG1(normalized), normalized);
    }

    /**
     * Decodes a compressed G1 point.
     *
     * @throws IllegalArgumentException if the bytes are not 48 long, not a point on the curve, the identity, or
     *     outside the prime-order subgroup
     */
    public static BlsPublicKey fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("BLS public key must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        if (Blst.AVAILABLE) {
            Blst.validatePublicKey(bytes);
            return new BlsPublicKey(bytes.clone(), null);
        }
        ECPoint point = decompress(bytes);
        if (point.isInfinity()) {
            throw new IllegalArgumentException("BLS public key is the identity point");
        }
        if (!BLS12_381SubgroupCheck.isInG1Subgroup(point)) {
            throw new IllegalArgumentException("BLS public key is not in the G1 prime-order subgroup");
        }
        return new BlsPublicKey(bytes.clone(), point.normalize());
    }

    private static ECPoint decompress(byte[] bytes) {
        try {
            return BLS12_381Serialization.decompressG1(bytes, Bls.G1_CURVE);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("BLS public key is not a valid compressed G1 point: " + e.getMessage(), e);
        }
    }

    /** Decodes standard base64 (with padding) of the 48 bytes, as Walrus JSON carries public keys. */
    public static BlsPublicKey fromBase64(String text) {
        return fromBytes(Bls.decodeBase64(text, "BLS public key", LENGTH));
    }

    /**
     * The sum of the keys, which verifies the aggregate of their signatures over one message.
     *
     * <p>Safe only for keys whose owners proved possession of the secret (Tusk's type-5 proof of possession at
     * registration); otherwise a rogue key could cancel the others.
     *
     * @throws IllegalArgumentException if the collection is empty or the sum is the identity
     */
    public static BlsPublicKey aggregate(Collection<BlsPublicKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("cannot aggregate zero BLS public keys");
        }
        if (Blst.AVAILABLE) {
            byte[] sum = Blst.aggregatePublicKeys(keys);
            if (sum == null) {
                throw new IllegalArgumentException("the aggregate of " + keys.size() + " BLS public keys is the identity");
            }
            return ofTrustedBytes(sum);
        }
        ECPoint sum = null;
        for (BlsPublicKey key : keys) {
            sum = sum == null ? key.point() : sum.add(key.point());
        }
        if (sum.isInfinity()) {
            throw new IllegalArgumentException("the aggregate of " + keys.size() + " BLS public keys is the identity");
        }
        return ofPoint(sum);
    }

    /** The 48 compressed bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Standard base64 with padding (64 characters). */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The compressed bytes themselves (not a copy): for this package only. */
    byte[] encoded() {
        return bytes;
    }

    ECPoint point() {
        ECPoint p = point;
        if (p == null) {
            p = decompress(bytes).normalize();
            point = p;
        }
        return p;
    }

    /**
     * Verifies a signature over {@code message} with the basic (NUL) scheme. Never throws: a null or otherwise
     * unusable input answers {@code false}.
     */
    public boolean verify(byte[] message, BlsSignature signature) {
        if (message == null || signature == null) {
            return false;
        }
        try {
            return Blst.AVAILABLE ? Blst.verify(bytes, message, signature.encoded())
                    : BLS12_381BasicScheme.verify(point(), message, signature.point());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlsPublicKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "BlsPublicKey[" + toBase64() + "]";
    }
}
