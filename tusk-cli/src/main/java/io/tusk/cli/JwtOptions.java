package io.tusk.cli;

import io.tusk.gateway.auth.JwtAlgorithm;
import io.tusk.gateway.auth.PublisherAuthConfig;
import picocli.CommandLine.Option;

/**
 * Walrus's publisher authentication flags ({@code --jwt-*}), shared by {@code tusk gateway} and {@code tusk devnet}.
 * A flag given on the command line wins over the configuration file's key of the same meaning.
 */
final class JwtOptions {
    @Option(names = "--jwt-decode-secret", paramLabel = "SECRET",
            description = "Publisher requests need 'Authorization: Bearer <JWT>' signed with this key: 0x-hex is "
                    + "decoded, any other text is its UTF-8 bytes (HMAC secret, or the issuer's public key for "
                    + "ES/RS/PS/EdDSA).")
    String decodeSecret;

    @Option(names = "--jwt-algorithm", paramLabel = "ALG",
            description = "HS256 (default), HS384, HS512, ES256, ES384, RS256, RS384, RS512, PS256, PS384, PS512, EdDSA.")
    String algorithm;

    @Option(names = "--jwt-expiring-sec", paramLabel = "SECONDS",
            description = "Tokens must carry iat and live exactly this long (exp - iat); 0: any lifetime (default).")
    Long expiringSec;

    @Option(names = "--jwt-verify-upload",
            description = "Check the request against the token's claims (epochs, max_epochs, size, max_size, "
                    + "send_object_to) and accept each jti once.")
    boolean verifyUpload;

    @Option(names = "--jwt-cache-size", paramLabel = "N",
            description = "Most unexpired used token IDs kept with --jwt-verify-upload (default: 10000).")
    Integer cacheSize;

    /** {@code base} (from a file, or {@link PublisherAuthConfig#NONE}) with the flags given here applied. */
    PublisherAuthConfig applyTo(PublisherAuthConfig base) {
        return new PublisherAuthConfig(decodeSecret != null ? decodeSecret : base.decodeSecret(),
                algorithm != null ? JwtAlgorithm.parse(algorithm) : base.algorithm(),
                expiringSec != null ? expiringSec : base.expiringSec(),
                verifyUpload || base.verifyUpload(),
                cacheSize != null ? cacheSize : base.cacheSize());
    }
}
