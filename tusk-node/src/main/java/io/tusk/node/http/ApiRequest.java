package io.tusk.node.http;

import java.util.List;
import java.util.Map;

/** What {@link NodeApi} needs from an HTTP request; the server adapts its own request type to it. */
public interface ApiRequest {
    String method();

    /** The path, not percent-decoded (node paths hold only unreserved characters). */
    String path();

    /** Query parameters in order; a repeated key has several values. */
    Map<String, List<String>> query();

    /** A header value, or {@code null}. */
    String header(String name);

    /**
     * Reads the whole body, refusing more than {@code limit} bytes.
     *
     * @throws BodyTooLargeException if the body is longer than {@code limit}
     */
    byte[] body(long limit) throws BodyTooLargeException;

    /** The body exceeded the route's limit. */
    final class BodyTooLargeException extends Exception {
        public BodyTooLargeException(long limit) {
            super("the request body is larger than the limit of " + limit + " bytes", null, false, false);
        }
    }
}
