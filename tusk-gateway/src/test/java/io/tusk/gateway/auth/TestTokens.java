package io.tusk.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs JWTs for tests with the JDK's primitives (the verifier is checked against RFC vectors on its own). */
final class TestTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private TestTokens() {
    }

    static String b64(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    /** {@code claims} (JSON) signed with HMAC-SHA256 under {@code secret}. */
    static String hs256(String claims, byte[] secret) {
        return hmac("HS256", "HmacSHA256", claims, secret);
    }

    static String hmac(String alg, String jdk, String claims, byte[] secret) {
        String input = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + b64(claims);
        try {
            Mac mac = Mac.getInstance(jdk);
            mac.init(new SecretKeySpec(secret, jdk));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code claims} signed with {@code key} by the JDK's {@code jdkAlgorithm}, announced as {@code alg}. */
    static String signed(String alg, String jdkAlgorithm, java.security.spec.AlgorithmParameterSpec parameters,
                         String claims, PrivateKey key) {
        String input = b64("{\"alg\":\"" + alg + "\"}") + "." + b64(claims);
        try {
            Signature signature = Signature.getInstance(jdkAlgorithm);
            if (parameters != null) {
                signature.setParameter(parameters);
            }
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(signature.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims with {@code exp} and {@code jti} plus {@code extra} (JSON members without braces, or empty). */
    static String claims(long exp, String jti, String extra) {
        return "{\"exp\":" + exp + ",\"jti\":\"" + jti + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }
}
