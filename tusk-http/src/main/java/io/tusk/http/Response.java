package io.tusk.http;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a handler answers: a status, headers and a body that is either bytes or written by a {@link BodyWriter}.
 * JSON bodies are serialized when the response is created, so a serialization failure is the handler's 500.
 * Build once and return; not thread-safe.
 */
public final class Response {
    public static final String JSON = "application/json";
    public static final String OCTET_STREAM = "application/octet-stream";
    public static final String TEXT = "text/plain; charset=utf-8";

    /** Writes a (possibly large) body; called once after the handler returned, on the request's thread. */
    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final BodyWriter writer;
    private final long contentLength;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();

    private Response(int status, String contentType, byte[] body, BodyWriter writer, long contentLength) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be in [100, 599], got " + status);
        }
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.writer = writer;
        this.contentLength = contentLength;
    }

    /** The Walrus success envelope {@code {"success":{"code":code,"data":data}}}, with HTTP status {@code code}. */
    public static Response success(int code, Object data) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("code", code);
        inner.put("data", data);
        return json(code, Map.of("success", inner));
    }

    /** {@code success(200, data)}. */
    public static Response ok(Object data) {
        return success(200, data);
    }

    /** Any value as JSON, without an envelope. */
    public static Response json(int status, Object value) {
        try {
            return new Response(status, JSON, TuskJson.mapper().writeValueAsBytes(value), null, -1);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize the response as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * A 200 BCS body, {@code application/octet-stream}. The array is sent as it is, not copied (slivers are
     * megabytes): the caller hands it over and must not change it afterwards.
     */
    public static Response bcs(byte[] bytes) {
        return new Response(200, OCTET_STREAM, bytes, null, bytes.length);
    }

    public static Response bytes(int status, String contentType, byte[] bytes) {
        return new Response(status, contentType, bytes.clone(), null, bytes.length);
    }

    public static Response text(int status, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new Response(status, TEXT, bytes, null, bytes.length);
    }

    /** No body and no content type. */
    public static Response empty(int status) {
        return new Response(status, null, new byte[0], null, 0);
    }

    /**
     * A body written by {@code writer} after the handler returns, for large or generated content. The route's
     * timeout does not cover the writing.
     *
     * @param contentLength the exact length, or -1 for chunked transfer
     */
    public static Response stream(int status, String contentType, long contentLength, BodyWriter writer) {
        return new Response(status, contentType, null, writer, contentLength);
    }

    /** This response with another {@code Content-Type} (its body and headers kept). */
    public Response withContentType(String type) {
        Response copy = new Response(status, type, body, writer, contentLength);
        copy.headers.addAll(headers);
        return copy;
    }

    /** Adds a header (repeatable) and returns this response. */
    public Response header(String name, String value) {
        headers.add(Map.entry(name, value));
        return this;
    }

    public int status() {
        return status;
    }

    /** May be {@code null}. */
    public String contentType() {
        return contentType;
    }

    public List<Map.Entry<String, String>> headers() {
        return List.copyOf(headers);
    }

    /** The body bytes, or {@code null} for a streamed response. */
    byte[] body() {
        return body;
    }

    BodyWriter writer() {
        return writer;
    }

    long contentLength() {
        return contentLength;
    }
}
