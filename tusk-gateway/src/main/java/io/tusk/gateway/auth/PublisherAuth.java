package io.tusk.gateway.auth;

import io.tusk.core.api.ErrorDomains;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.http.ApiError;
import io.tusk.http.Request;
import io.tusk.http.Response;
import io.tusk.http.RouteHandler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Walrus's authenticated publisher: every route that spends the publisher's funds needs
 * {@code Authorization: Bearer <JWT>}. A token is accepted when its signature verifies with the configured key and
 * algorithm, its {@code exp} is in the future, and (with {@code expiringSec}) {@code exp - iat} is that many
 * seconds. With {@code verifyUpload} the request must also keep within the token's claims ({@code epochs} or
 * {@code max_epochs}, {@code size} or {@code max_size} of the body, {@code send_object_to}) and the token must not
 * have been used before ({@code jti}).
 *
 * <p>Every refusal is 401 with an AIP-193 body (domain {@code auth.publisher.walrus.space}, Walrus's reason names)
 * and a {@code WWW-Authenticate: Bearer} challenge (RFC 6750). Walrus answers some of these with 400, 429 or 504;
 * Tusk answers 401 for all of them, since each means "this request needs another token".
 *
 * <p>Handlers call {@link #authenticate} first (before reading the body or spending anything), then
 * {@link #authorizeUpload} once they know the store parameters; {@link #answering} turns a {@link JwtRefusal} into
 * the 401 answer. {@link #guard} does both for routes without store parameters. Thread-safe.
 */
public final class PublisherAuth implements AutoCloseable {
    public static final String REALM = "tusk-publisher";
    /** An authenticated publisher that checks nothing (authentication off). */
    public static final PublisherAuth OFF = new PublisherAuth(PublisherAuthConfig.NONE, () -> 0);

    private final PublisherAuthConfig config;
    private final JwtVerifier verifier;
    private final ReplayGuard used;
    private final LongSupplier nowSeconds;

    /**
     * Authentication whose used token IDs are held in memory only (a restart forgets them).
     *
     * @param nowSeconds the current Unix time in seconds (a parameter for tests)
     */
    public PublisherAuth(PublisherAuthConfig config, LongSupplier nowSeconds) {
        this(config, nowSeconds, new ReplayGuard(config.cacheSize()));
    }

    /**
     * Authentication whose used token IDs are also kept in {@code replayFile} (created if absent), so that a restarted
     * publisher still refuses a token used before; the file holds only unexpired IDs, at most the cache size.
     */
    public PublisherAuth(PublisherAuthConfig config, LongSupplier nowSeconds, Path replayFile) throws IOException {
        this(config, nowSeconds, new ReplayGuard(config.cacheSize(), replayFile, nowSeconds.getAsLong()));
    }

    private PublisherAuth(PublisherAuthConfig config, LongSupplier nowSeconds, ReplayGuard used) {
        this.config = config;
        this.verifier = new JwtVerifier(config.algorithm(),
                config.decodeSecret() == null ? null : JwtKey.decode(config.decodeSecret(), config.algorithm()));
        this.used = used;
        this.nowSeconds = nowSeconds;
    }

    /**
     * The publisher's authentication for {@code config}: {@link #OFF} if it is off; with {@code verifyUpload} (the only
     * mode that records token IDs) the used IDs are kept in {@code replayFile}.
     */
    public static PublisherAuth of(PublisherAuthConfig config, Path replayFile) throws IOException {
        if (!config.enabled()) {
            return OFF;
        }
        LongSupplier clock = () -> System.currentTimeMillis() / 1000;
        return config.verifyUpload() ? new PublisherAuth(config, clock, replayFile) : new PublisherAuth(config, clock);
    }

    @Override
    public void close() {
        used.close();
    }

    public PublisherAuthConfig config() {
        return config;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** What a store asks for, checked against the claims. */
    public record Upload(int epochs, Optional<Address> sendObjectTo, OptionalLong bodyBytes) {
    }

    /**
     * The request's token, checked (signature, expiry, {@code expiringSec}, consistent claims); empty when
     * authentication is off.
     *
     * @throws JwtRefusal if there is no bearer token or it is not acceptable
     */
    public Optional<JwtClaims> authenticate(Request request) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        List<String> values = request.headers("Authorization");
        if (values.isEmpty()) {
            throw new JwtRefusal(ErrorReason.MISSING_TOKEN, "this publisher needs a JWT: send 'Authorization: Bearer "
                    + "<token>'");
        }
        if (values.size() > 1) {
            throw new JwtRefusal(ErrorReason.INVALID_TOKEN, "the request has " + values.size()
                    + " Authorization headers; send one");
        }
        String value = values.getFirst().strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            throw new JwtRefusal(ErrorReason.MISSING_TOKEN, "the Authorization header is not 'Bearer <token>'");
        }
        JwtClaims claims = JwtClaims.parse(verifier.verifiedPayload(value.substring(space + 1).strip()));
        long now = nowSeconds.getAsLong();
        if (claims.exp() <= now) {
            throw new JwtRefusal(ErrorReason.EXPIRED_SIGNATURE, "the JWT expired at " + claims.exp()
                    + " (Unix seconds); it is now " + now);
        }
        if (config.expiringSec() > 0) {
            if (claims.iat() == null) {
                throw new JwtRefusal(ErrorReason.INVALID_TOKEN, "the JWT is invalid: it has no 'iat' (issued at) claim, "
                        + "which this publisher requires (tokens live " + config.expiringSec() + " s)");
            }
            if (claims.exp() - claims.iat() != config.expiringSec()) {
                throw new JwtRefusal(ErrorReason.INVALID_EXPIRATION, "the JWT lives " + (claims.exp() - claims.iat())
                        + " s (exp - iat); this publisher accepts tokens that live exactly " + config.expiringSec() + " s");
            }
        }
        if (claims.size() != null && claims.maxSize() != null) {
            throw new JwtRefusal(ErrorReason.INCONSISTENT_TOKEN, "the JWT has both 'size' and 'max_size'");
        }
        return Optional.of(claims);
    }

    /**
     * With {@code verifyUpload}: checks {@code upload} against the claims, then records the token as used.
     *
     * @throws JwtRefusal if the request asks for more than the token allows, or the token was used
     * @throws ApiError 429 {@code TOO_MANY_REQUESTS} if the cache of used tokens is full of unexpired ones
     */
    public void authorizeUpload(Optional<JwtClaims> token, Upload upload) {
        if (token.isEmpty() || !config.verifyUpload()) {
            return;
        }
        JwtClaims claims = token.get();
        checkSize(claims, upload.bodyBytes());
        if (claims.epochs() != null && claims.maxEpochs() != null) {
            throw new JwtRefusal(ErrorReason.INCONSISTENT_TOKEN, "the JWT has both 'epochs' and 'max_epochs'");
        }
        if (claims.epochs() != null && upload.epochs() != claims.epochs()) {
            throw new JwtRefusal(ErrorReason.INVALID_EPOCHS, "the request stores for " + upload.epochs()
                    + " epochs, the JWT allows exactly " + claims.epochs());
        }
        if (claims.maxEpochs() != null && upload.epochs() > claims.maxEpochs()) {
            throw new JwtRefusal(ErrorReason.INVALID_EPOCHS, "the request stores for " + upload.epochs()
                    + " epochs, the JWT allows at most " + claims.maxEpochs());
        }
        if (claims.sendObjectTo() != null && !upload.sendObjectTo().equals(Optional.of(claims.sendObjectTo()))) {
            throw new JwtRefusal(ErrorReason.INVALID_SEND_OBJECT_TO, "the JWT requires send_object_to="
                    + claims.sendObjectTo() + ", the request has "
                    + upload.sendObjectTo().map(Address::toString).orElse("none"));
        }
        claimOnce(claims);
    }

    /** Authenticates the request, and with {@code verifyUpload} checks its body size and records the token. */
    public RouteHandler guard(RouteHandler handler) {
        return answering(request -> {
            Optional<JwtClaims> claims = authenticate(request);
            if (claims.isPresent() && config.verifyUpload()) {
                checkSize(claims.get(), request.contentLength());
                claimOnce(claims.get());
            }
            return handler.handle(request);
        });
    }

    /** {@code handler}, with a {@link JwtRefusal} it throws answered 401. */
    public static RouteHandler answering(RouteHandler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (JwtRefusal refusal) {
                return refused(refusal);
            }
        };
    }

    private static void checkSize(JwtClaims claims, OptionalLong bodyBytes) {
        Long limit = claims.size() != null ? claims.size() : claims.maxSize();
        if (limit == null) {
            return;
        }
        // The body is framed by its Content-Length (the server reads no more), so checking it checks the body.
        if (bodyBytes.isEmpty()) {
            throw new JwtRefusal(ErrorReason.INVALID_SIZE, "the JWT limits the body's size, so the request must "
                    + "declare a Content-Length");
        }
        long bytes = bodyBytes.getAsLong();
        if (claims.size() != null && bytes != claims.size()) {
            throw new JwtRefusal(ErrorReason.INVALID_SIZE, "the body has " + bytes + " bytes, the JWT allows exactly "
                    + claims.size());
        }
        if (claims.maxSize() != null && bytes > claims.maxSize()) {
            throw new JwtRefusal(ErrorReason.INVALID_SIZE, "the body has " + bytes + " bytes, the JWT allows at most "
                    + claims.maxSize());
        }
    }

    private void claimOnce(JwtClaims claims) {
        if (claims.jti() == null) {
            throw new JwtRefusal(ErrorReason.INVALID_TOKEN, "the JWT is invalid: it has no 'jti' (token ID) claim, "
                    + "which this publisher requires so that each token stores once");
        }
        ReplayGuard.Claim claim;
        try {
            claim = used.claim(claims.jti(), claims.exp(), nowSeconds.getAsLong());
        } catch (java.io.UncheckedIOException e) { // not recorded, so not admitted: a replay must stay impossible
            throw new ApiError(ErrorReason.UNAVAILABLE, "the publisher cannot record the token as used: "
                    + e.getCause().getMessage());
        }
        switch (claim) {
            case FRESH -> { }
            case USED -> throw new JwtRefusal(ErrorReason.TOKEN_ALREADY_USED, "the JWT with jti '" + claims.jti()
                    + "' was already used; each token stores once");
            case FULL -> throw new ApiError(ErrorReason.TOO_MANY_REQUESTS, "the publisher holds "
                    + config.cacheSize() + " unexpired used tokens (its jwtCacheSize); retry when some expire");
        }
    }

    static Response refused(JwtRefusal refusal) {
        ErrorReason reason = refusal.reason();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("@type", "ErrorInfo");
        info.put("reason", reason.reason());
        info.put("domain", reason.fixedDomain() != null ? reason.fixedDomain() : ErrorDomains.AUTH);
        info.put("metadata", Map.of());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", reason.httpStatus());
        error.put("status", reason.status().name());
        error.put("message", refusal.getMessage());
        error.put("details", List.of(info));
        // RFC 6750 section 3: no error code when the request had no token at all.
        String challenge = "Bearer realm=\"" + REALM + "\"" + (reason == ErrorReason.MISSING_TOKEN ? ""
                : ", error=\"invalid_token\", error_description=\"" + reason.reason() + "\"");
        return Response.json(reason.httpStatus(), Map.of("error", error)).header("WWW-Authenticate", challenge);
    }

    /** Used token IDs held now (tests, metrics). */
    int usedTokens() {
        return used.size();
    }
}
