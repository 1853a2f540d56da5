package io.tusk.gateway.auth;

import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The JWS algorithms of RFC 7518 section 3.1 and RFC 8037 that Walrus's authenticated publisher accepts
 * ({@code --jwt-algorithm}); the default is {@link #HS256}. Each names the JDK primitive that checks it.
 */
public enum JwtAlgorithm {
    HS256(Family.HMAC, "HmacSHA256", null, 0),
    HS384(Family.HMAC, "HmacSHA384", null, 0),
    HS512(Family.HMAC, "HmacSHA512", null, 0),
    /** ECDSA on P-256; the JWS signature is R ‖ S, 32 bytes each (IEEE P1363), not DER. */
    ES256(Family.EC, "SHA256withECDSAinP1363Format", null, 256),
    /** ECDSA on P-384; R ‖ S, 48 bytes each. */
    ES384(Family.EC, "SHA384withECDSAinP1363Format", null, 384),
    RS256(Family.RSA, "SHA256withRSA", null, 0),
    RS384(Family.RSA, "SHA384withRSA", null, 0),
    RS512(Family.RSA, "SHA512withRSA", null, 0),
    /** RSASSA-PSS with SHA-256, MGF1 with SHA-256 and a salt as long as the hash (RFC 7518 section 3.5). */
    PS256(Family.RSA, "RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1), 0),
    PS384(Family.RSA, "RSASSA-PSS", new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1), 0),
    PS512(Family.RSA, "RSASSA-PSS", new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1), 0),
    /** Ed25519 (or Ed448, by the key), RFC 8037. */
    EdDSA(Family.EDDSA, "EdDSA", null, 0);

    /** What kind of key checks the signature. */
    public enum Family { HMAC, EC, RSA, EDDSA }

    private final Family family;
    private final String jdkName;
    private final AlgorithmParameterSpec parameters;
    private final int curveBits;

    JwtAlgorithm(Family family, String jdkName, AlgorithmParameterSpec parameters, int curveBits) {
        this.family = family;
        this.jdkName = jdkName;
        this.parameters = parameters;
        this.curveBits = curveBits;
    }

    public Family family() {
        return family;
    }

    /** Whether the key is a shared secret (HMAC) rather than a public key. */
    public boolean symmetric() {
        return family == Family.HMAC;
    }

    /** The JDK's name of the MAC or signature algorithm. */
    String jdkName() {
        return jdkName;
    }

    /** Signature parameters (RSASSA-PSS), or {@code null}. */
    AlgorithmParameterSpec parameters() {
        return parameters;
    }

    /** The field size of the curve an EC algorithm needs (256 for P-256), 0 for the others. */
    int curveBits() {
        return curveBits;
    }

    /**
     * The algorithm of a JWS {@code alg} name, exactly as RFC 7518 spells it ({@code HS256}, {@code EdDSA}).
     *
     * @throws IllegalArgumentException naming the supported algorithms for anything else (including {@code none})
     */
    public static JwtAlgorithm parse(String name) {
        for (JwtAlgorithm algorithm : values()) {
            if (algorithm.name().equals(name)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unsupported JWT algorithm '" + name + "' (supported: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
    }
}
