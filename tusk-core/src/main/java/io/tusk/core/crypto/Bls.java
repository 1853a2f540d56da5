package io.tusk.core.crypto;

import org.bouncycastle.crypto.bls.BLS12_381G1;
import org.bouncycastle.math.ec.ECCurve;

import java.util.Base64;

/** Shared BLS12-381 state and helpers. */
final class Bls {
    /** One canonical G1 curve instance: points from different instances must not be mixed. */
    static final ECCurve G1_CURVE = BLS12_381G1.createCurve();

    private Bls() {
    }

    static byte[] decodeBase64(String text, String what, int length) {
        if (text == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not standard base64: '" + Hex32.abbreviate(text) + "'", e);
        }
        if (bytes.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, got " + bytes.length);
        }
        return bytes;
    }
}
