package io.tusk.http;

/**
 * A request that got no usable HTTP answer: connection refused or reset, timeout, interrupted, or a 2xx answer that
 * did not parse. Distinct from {@link ApiException}, which is an answer the server chose.
 */
public final class HttpTransportException extends RuntimeException {
    public HttpTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
