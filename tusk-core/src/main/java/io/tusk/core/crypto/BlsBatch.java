package io.tusk.core.crypto;

import supranational.blst.P1_Affine;
import supranational.blst.P2_Affine;
import supranational.blst.Pairing;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;

/**
 * Verifies many BLS signatures, each over its own message with its own (possibly aggregated) public key, in one
 * multi-pairing: with random 64-bit scalars r_i it checks e(g1, Σ r_i·σ_i) = Π e(r_i·pk_i, H(m_i)), which costs one
 * Miller loop per signature and one final exponentiation for all, instead of two Miller loops and a final
 * exponentiation each (blst's {@code mul_n_aggregate}, as Ethereum clients verify attestations). If any signature is
 * invalid the check fails, except with probability 2^-64 over the scalars; a caller that needs to know which one
 * verifies them one by one then.
 *
 * <p>Keys and signatures are the validated {@link BlsPublicKey} and {@link BlsSignature} (on the curve, in the
 * subgroup, not the identity). Without blst the signatures are verified one by one. Thread-safe.
 */
public final class BlsBatch {
    private static final SecureRandom RANDOM = new SecureRandom();

    private BlsBatch() {
    }

    /**
     * Whether {@code signatures.get(i)} verifies over {@code messages.get(i)} with {@code keys.get(i)} for every i;
     * true for empty lists.
     *
     * @throws IllegalArgumentException if the lists differ in length
     */
    public static boolean verifyAll(List<BlsPublicKey> keys, List<byte[]> messages, List<BlsSignature> signatures) {
        if (keys.size() != messages.size() || keys.size() != signatures.size()) {
            throw new IllegalArgumentException(keys.size() + " keys, " + messages.size() + " messages and "
                    + signatures.size() + " signatures");
        }
        if (keys.isEmpty()) {
            return true;
        }
        if (keys.size() == 1 || !Blst.AVAILABLE) {
            for (int i = 0; i < keys.size(); i++) {
                if (!keys.get(i).verify(messages.get(i), signatures.get(i))) {
                    return false;
                }
            }
            return true;
        }
        try {
            Pairing pairing = new Pairing(true, Blst.DST);
            for (int i = 0; i < keys.size(); i++) {
                BigInteger scalar;
                do {
                    scalar = new BigInteger(64, RANDOM);
                } while (scalar.signum() == 0);
                pairing.mul_n_aggregate(new P1_Affine(keys.get(i).encoded()),
                        new P2_Affine(signatures.get(i).encoded()), scalar, messages.get(i));
            }
            pairing.commit();
            return pairing.finalverify();
        } catch (RuntimeException invalidEncoding) {
            return false;
        }
    }
}
