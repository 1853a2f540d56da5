package io.tusk.http;

import java.time.Duration;

/**
 * Per-route limits; a {@code null} field means the server's default.
 *
 * @param maxBodyBytes largest request body accepted (a larger one is answered 413 without reading it all)
 * @param timeout how long the handler may take to produce its response (streaming the body is not counted)
 */
public record RouteOptions(Long maxBodyBytes, Duration timeout) {
    public static final RouteOptions DEFAULTS = new RouteOptions(null, null);

    public RouteOptions {
        if (maxBodyBytes != null && maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 0, got " + maxBodyBytes);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    public static RouteOptions maxBody(long bytes) {
        return new RouteOptions(bytes, null);
    }

    public static RouteOptions timeout(Duration timeout) {
        return new RouteOptions(null, timeout);
    }

    public RouteOptions withMaxBody(long bytes) {
        return new RouteOptions(bytes, timeout);
    }

    public RouteOptions withTimeout(Duration timeout) {
        return new RouteOptions(maxBodyBytes, timeout);
    }
}
