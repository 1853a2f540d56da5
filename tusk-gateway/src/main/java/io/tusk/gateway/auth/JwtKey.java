package io.tusk.gateway.auth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that checks JWT signatures, decoded from {@code --jwt-decode-secret} as Walrus's publisher decodes it: a
 * string starting with {@code 0x} is hex and decoded, any other string is taken as its UTF-8 bytes.
 *
 * <p>For HMAC algorithms those bytes are the shared secret. For the others they are the issuer's public key, in
 * the forms Walrus's JWT library takes (raw 32-byte Ed25519 key, uncompressed EC point {@code 04 ‖ X ‖ Y}, PKCS#1
 * {@code RSAPublicKey} DER) and, beyond Walrus, an X.509 {@code SubjectPublicKeyInfo} in DER or PEM
 * ({@code -----BEGIN PUBLIC KEY-----}, the form {@code openssl pkey -pubout} writes). RSA keys must have at least
 * 2048 bits (RFC 7518 section 3.3).
 *
 * <p>Thread-safe: every check uses its own {@link Mac} or {@link Signature}.
 */
public final class JwtKey {
    /** Ed25519's SubjectPublicKeyInfo before the 32 key bytes (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** Ed448's SubjectPublicKeyInfo before the 57 key bytes. */
    private static final byte[] ED448_SPKI_PREFIX = HexFormat.of().parseHex("3043300506032b6571033a00");
    private static final int MIN_RSA_BITS = 2048;

    private final JwtAlgorithm algorithm;
    private final byte[] secret;       // HMAC only
    private final PublicKey publicKey; // the others

    private JwtKey(JwtAlgorithm algorithm, byte[] secret, PublicKey publicKey) {
        this.algorithm = algorithm;
        this.secret = secret;
        this.publicKey = publicKey;
    }

    /**
     * Decodes {@code secret} for {@code algorithm}.
     *
     * @throws IllegalArgumentException with the reason if the text is not valid hex, empty, or not a public key of
     *     the algorithm's kind
     */
    public static JwtKey decode(String secret, JwtAlgorithm algorithm) {
        byte[] bytes = secretBytes(secret);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("the JWT decode secret is empty");
        }
        if (algorithm.symmetric()) {
            return new JwtKey(algorithm, bytes, null);
        }
        byte[] der = pem(bytes);
        try {
            PublicKey key = switch (algorithm.family()) {
                case EDDSA -> eddsaKey(der);
                case EC -> ecKey(der, algorithm);
                case RSA -> rsaKey(der);
                case HMAC -> throw new AssertionError("symmetric");
            };
            return new JwtKey(algorithm, null, key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWT decode secret is not a " + algorithm.family() + " public key for "
                    + algorithm + " (" + der.length + " bytes: raw key, SubjectPublicKeyInfo DER or PEM"
                    + (algorithm.family() == JwtAlgorithm.Family.RSA ? ", or PKCS#1 RSAPublicKey DER" : "")
                    + "): " + e.getMessage(), e);
        }
    }

    /** {@code 0x}-prefixed hex decoded, anything else as UTF-8 (Walrus's {@code AuthConfig::secret_to_bytes}). */
    static byte[] secretBytes(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("the JWT decode secret is missing");
        }
        if (secret.startsWith("0x")) {
            String hex = secret.substring(2);
            if (hex.length() % 2 != 0) {
                throw new IllegalArgumentException("the JWT decode secret starts with 0x but has an odd number ("
                        + hex.length() + ") of hex digits");
            }
            try {
                return HexFormat.of().parseHex(hex);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the JWT decode secret starts with 0x but is not hex: " + e.getMessage());
            }
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The DER inside a PEM block, or the bytes as they are. */
    private static byte[] pem(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith("-----BEGIN ")) {
            return bytes;
        }
        String body = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWT decode secret looks like PEM but its body is not base64");
        }
    }

    private static PublicKey eddsaKey(byte[] der) throws GeneralSecurityException {
        byte[] spki = switch (der.length) {
            case 32 -> concat(ED25519_SPKI_PREFIX, der);
            case 57 -> concat(ED448_SPKI_PREFIX, der);
            default -> der;
        };
        return KeyFactory.getInstance("EdDSA").generatePublic(new X509EncodedKeySpec(spki));
    }

    private static PublicKey ecKey(byte[] der, JwtAlgorithm algorithm) throws GeneralSecurityException {
        int coordinate = (algorithm.curveBits() + 7) / 8;
        ECPublicKey key;
        if (der.length == 1 + 2 * coordinate && der[0] == 0x04) {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(algorithm.curveBits() == 256 ? "secp256r1" : "secp384r1"));
            ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(der, 1, 1 + coordinate)),
                    new BigInteger(1, Arrays.copyOfRange(der, 1 + coordinate, der.length)));
            key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                    new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)));
        } else {
            key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        }
        int bits = key.getParams().getCurve().getField().getFieldSize();
        if (bits != algorithm.curveBits()) {
            throw new IllegalArgumentException(algorithm + " needs a key on a " + algorithm.curveBits()
                    + "-bit curve, this one is on a " + bits + "-bit curve");
        }
        return key;
    }

    private static PublicKey rsaKey(byte[] der) throws GeneralSecurityException {
        RSAPublicKey key;
        try {
            key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException notSpki) {
            org.bouncycastle.asn1.pkcs.RSAPublicKey pkcs1;
            try {
                pkcs1 = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der);
            } catch (RuntimeException notPkcs1) {
                throw notSpki;
            }
            key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(pkcs1.getModulus(), pkcs1.getPublicExponent()));
        }
        if (key.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("RSA keys need at least " + MIN_RSA_BITS + " bits, this one has "
                    + key.getModulus().bitLength());
        }
        return key;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public JwtAlgorithm algorithm() {
        return algorithm;
    }

    /** The public key ({@code null} for HMAC). */
    PublicKey publicKey() {
        return publicKey;
    }

    /** Whether {@code signature} is this key's signature (or MAC) over {@code signingInput}. */
    boolean verify(byte[] signingInput, byte[] signature) {
        try {
            if (algorithm.symmetric()) {
                Mac mac = Mac.getInstance(algorithm.jdkName());
                mac.init(new SecretKeySpec(secret, algorithm.jdkName()));
                // Constant time: a byte-by-byte comparison would tell a forger how much of its MAC is right.
                return MessageDigest.isEqual(mac.doFinal(signingInput), signature);
            }
            Signature verifier = Signature.getInstance(algorithm.jdkName());
            if (algorithm.parameters() != null) {
                verifier.setParameter(algorithm.parameters());
            }
            verifier.initVerify(publicKey);
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            return false; // a malformed signature (wrong length, bad encoding) is simply not a valid one
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot check " + algorithm + " signatures: " + e.getMessage(), e);
        }
    }
}
