package io.tusk.node.http;

import java.nio.charset.StandardCharsets;

/** A complete HTTP answer: status, content type ({@code null} for none) and body. */
public record HttpResult(int status, String contentType, byte[] body) {
    public static final String JSON = "application/json";
    public static final String OCTETS = "application/octet-stream";
    public static final String TEXT = "text/plain; charset=utf-8";

    public static HttpResult json(int status, byte[] body) {
        return new HttpResult(status, JSON, body);
    }

    public static HttpResult bcs(byte[] body) {
        return new HttpResult(200, OCTETS, body);
    }

    /** A framework-style rejection: plain text, as axum answers bad paths, queries and bodies. */
    public static HttpResult text(int status, String message) {
        return new HttpResult(status, TEXT, message.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResult empty(int status) {
        return new HttpResult(status, null, new byte[0]);
    }
}
