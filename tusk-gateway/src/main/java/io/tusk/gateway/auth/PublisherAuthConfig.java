package io.tusk.gateway.auth;

/**
 * The publisher's JWT settings, Walrus's {@code --jwt-*} flags. Authentication is on when any of
 * {@code decodeSecret}, {@code expiringSec > 0} or {@code verifyUpload} is set (as in Walrus); without a secret the
 * signature is not checked (for a publisher behind a proxy that checked it), everything else is.
 *
 * @param decodeSecret {@code --jwt-decode-secret}: {@code 0x}-hex or a UTF-8 string; the HMAC secret or the
 *     issuer's public key ({@link JwtKey}); {@code null} for none
 * @param algorithm {@code --jwt-algorithm}, default {@link JwtAlgorithm#HS256}
 * @param expiringSec {@code --jwt-expiring-sec}: if above 0, every token must carry {@code iat} and
 *     {@code exp - iat} must equal it
 * @param verifyUpload {@code --jwt-verify-upload}: check the request against the claims ({@code epochs},
 *     {@code max_epochs}, {@code size}, {@code max_size}, {@code send_object_to}) and refuse a used {@code jti}
 * @param cacheSize {@code --jwt-cache-size}: the most unexpired used token IDs kept (Walrus: 10,000)
 */
public record PublisherAuthConfig(String decodeSecret, JwtAlgorithm algorithm, long expiringSec, boolean verifyUpload,
                                  int cacheSize) {
    public static final int CACHE_SIZE_DEFAULT = 10_000;
    /** No authentication: the publisher is open (Walrus's default). */
    public static final PublisherAuthConfig NONE = new PublisherAuthConfig(null, JwtAlgorithm.HS256, 0, false,
            CACHE_SIZE_DEFAULT);

    public PublisherAuthConfig {
        if (algorithm == null) {
            algorithm = JwtAlgorithm.HS256;
        }
        if (expiringSec < 0) {
            throw new IllegalArgumentException("jwtExpiringSec must be >= 0, got " + expiringSec);
        }
        if (cacheSize < 1) {
            throw new IllegalArgumentException("jwtCacheSize must be >= 1, got " + cacheSize);
        }
        if (decodeSecret != null) {
            JwtKey.decode(decodeSecret, algorithm); // refuse a bad secret at configuration time, not on a request
        }
    }

    /** HS256 with {@code secret}, expiry only (Walrus's {@code --jwt-decode-secret S} alone). */
    public static PublisherAuthConfig secret(String secret) {
        return new PublisherAuthConfig(secret, JwtAlgorithm.HS256, 0, false, CACHE_SIZE_DEFAULT);
    }

    public boolean enabled() {
        return decodeSecret != null || expiringSec > 0 || verifyUpload;
    }

    /** Whether signatures are checked (a secret is set). */
    public boolean verifiesSignatures() {
        return decodeSecret != null;
    }

    @Override
    public String toString() { // never log the secret
        return "PublisherAuthConfig[" + (enabled() ? algorithm + (verifiesSignatures() ? "" : " without signature check")
                + ", expiringSec=" + expiringSec + ", verifyUpload=" + verifyUpload + ", cacheSize=" + cacheSize
                : "off") + "]";
    }
}
