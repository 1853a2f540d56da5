package io.tusk.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.core.api.ApiStatus;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small client for Tusk's and Walrus's JSON APIs over an {@link HttpTransport} (HTTP/1.1, by default the process's
 * shared one).
 *
 * <p>2xx answers: JSON with a {@code {"success":{"code","data"}}} envelope is unwrapped to {@code data}; other JSON
 * is read whole. 4xx/5xx: {@link ApiException}, typed when the body is AIP-193. No answer: {@link
 * HttpTransportException}. Paths are resolved against the base URI. Requests made inside a {@link TraceContext}
 * carry its trace ID ({@code traceparent}). Thread-safe; one instance per target service shares its connections.
 */
public final class JsonHttpClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The largest answer read: JSON answers are small; BCS answers are at most a sliver batch. */
    public static final long MAX_ANSWER_BYTES = 256L << 20;

    private final HttpTransport http;
    private final URI base;
    private final Duration timeout;
    private final ObjectMapper mapper;

    private JsonHttpClient(HttpTransport http, URI base, Duration timeout, ObjectMapper mapper) {
        this.http = http;
        this.base = base;
        this.timeout = timeout;
        this.mapper = mapper;
    }

    /** A client of {@code base} (e.g. {@code http://127.0.0.1:9185}) with a 30 s request timeout. */
    public static JsonHttpClient create(URI base) {
        return create(base, DEFAULT_TIMEOUT);
    }

    /** A client of {@code base} on the shared transport (connections time out after 5 s). */
    public static JsonHttpClient create(URI base, Duration requestTimeout) {
        return create(base, HttpTransport.shared(), requestTimeout);
    }

    public static JsonHttpClient create(URI base, HttpTransport transport, Duration requestTimeout) {
        return new JsonHttpClient(Objects.requireNonNull(transport, "transport"), Objects.requireNonNull(base, "base"),
                requestTimeout, TuskJson.mapper());
    }

    /** The same connections with another per-request timeout (e.g. for long polls). */
    public JsonHttpClient withTimeout(Duration requestTimeout) {
        return new JsonHttpClient(http, base, requestTimeout, mapper);
    }

    public URI base() {
        return base;
    }

    // ---- JSON ----

    public <T> T get(String path, Class<T> type) {
        return json("GET", path, null, mapper.constructType(type));
    }

    public <T> T get(String path, TypeReference<T> type) {
        return json("GET", path, null, mapper.constructType(type));
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return json("POST", path, body, mapper.constructType(type));
    }

    public <T> T post(String path, Object body, TypeReference<T> type) {
        return json("POST", path, body, mapper.constructType(type));
    }

    public <T> T put(String path, Object body, Class<T> type) {
        return json("PUT", path, body, mapper.constructType(type));
    }

    public <T> T delete(String path, Class<T> type) {
        return json("DELETE", path, null, mapper.constructType(type));
    }

    /** Sends {@code body} as JSON (none if {@code null}) and reads the answer's data as {@code type}. */
    public <T> T json(String method, String path, Object body, JavaType type) {
        byte[] bytes;
        try {
            bytes = body == null ? null : mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize the request body as JSON: " + e.getMessage(), e);
        }
        RawResponse response = send(method, path, bytes, Response.JSON, Response.JSON);
        return readData(method, path, response, type);
    }

    // ---- BCS ----

    /** GETs a BCS body ({@code application/octet-stream} or no Content-Type). */
    public byte[] getBytes(String path) {
        RawResponse response = send("GET", path, null, null, Response.OCTET_STREAM);
        String contentType = response.contentType();
        if (contentType != null && !contentType.startsWith(Response.OCTET_STREAM)) {
            throw new HttpTransportException("GET " + path + ": expected application/octet-stream, got "
                    + contentType, null);
        }
        return response.body();
    }

    /** Sends a BCS body and reads the JSON answer's data as {@code type}. */
    public <T> T putBytes(String path, byte[] body, Class<T> type) {
        RawResponse response = send("PUT", path, body, Response.OCTET_STREAM, Response.JSON);
        return readData("PUT", path, response, mapper.constructType(type));
    }

    /**
     * Sends a BCS body given as buffers, without copying them (a sliver of megabytes is sent from the array it lives
     * in; {@code BodyPublishers.ofByteArray} would first copy it), and reads the JSON answer's data as {@code type}.
     */
    public <T> T putBuffers(String path, ByteBuffer[] body, Class<T> type) {
        RawResponse response = sendBody("PUT", path, body, Response.OCTET_STREAM, Response.JSON);
        return readData("PUT", path, response, mapper.constructType(type));
    }

    public <T> T postBytes(String path, byte[] body, Class<T> type) {
        RawResponse response = send("POST", path, body, Response.OCTET_STREAM, Response.JSON);
        return readData("POST", path, response, mapper.constructType(type));
    }

    // ---- raw ----

    /** The answer as received. */
    public record RawResponse(int status, String contentType, byte[] body) {
    }

    /**
     * Sends a request and returns any 2xx answer as received.
     *
     * @throws ApiException for a 4xx/5xx answer
     * @throws HttpTransportException when no answer arrives
     */
    public RawResponse send(String method, String path, byte[] body, String contentType, String accept) {
        return send(method, path, body, contentType, accept, Map.of());
    }

    /** {@link #send(String, String, byte[], String, String)} with more request headers. */
    public RawResponse send(String method, String path, byte[] body, String contentType, String accept,
                            Map<String, String> headers) {
        return sendBody(method, path, body == null ? null : new ByteBuffer[] {ByteBuffer.wrap(body)}, contentType,
                accept, headers);
    }

    /**
     * {@link #send(String, String, byte[], String, String)} with a body in buffers (a memory-mapped file, for one,
     * so a large body needs no heap).
     */
    public RawResponse send(String method, String path, ByteBuffer[] body, String contentType, String accept,
                            Map<String, String> headers) {
        return sendBody(method, path, body, contentType, accept, headers);
    }

    private RawResponse sendBody(String method, String path, ByteBuffer[] body, String contentType, String accept) {
        return sendBody(method, path, body, contentType, accept, Map.of());
    }

    private RawResponse sendBody(String method, String path, ByteBuffer[] body, String contentType, String accept,
                                 Map<String, String> extraHeaders) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(1 + extraHeaders.size());
        if (accept != null) {
            headers.add(Map.entry("Accept", accept));
        }
        headers.addAll(extraHeaders.entrySet());
        TraceContext.current().ifPresent(trace -> headers.add(Map.entry(TraceContext.HEADER, TraceContext.header(trace))));
        HttpTransport.Answer answer = http.send(new HttpTransport.Exchange(method, base.resolve(path), headers,
                body == null ? null : contentType, body, timeout, MAX_ANSWER_BYTES));
        RawResponse raw = new RawResponse(answer.status(), answer.contentType(), answer.body());
        if (raw.status() >= 400 || raw.status() < 200) {
            throw toApiException(raw);
        }
        return raw;
    }

    private <T> T readData(String method, String path, RawResponse response, JavaType type) {
        if (response.contentType() == null || !response.contentType().startsWith(Response.JSON)) {
            throw new HttpTransportException(method + " " + path + ": expected application/json, got "
                    + response.contentType(), null);
        }
        try {
            JsonNode root = mapper.readTree(response.body());
            JsonNode data = root;
            if (root != null && root.isObject() && root.size() == 1 && root.has("success")) {
                data = root.get("success").get("data");
            }
            if (type.getRawClass() == Void.class || type.getRawClass() == void.class) {
                return null;
            }
            return mapper.treeToValue(data, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new HttpTransportException(method + " " + path + ": cannot read the answer as "
                    + type.getTypeName() + ": " + e.getMessage(), e);
        }
    }

    /** Parses an error answer: AIP-193 JSON gives a typed exception, anything else keeps the text. */
    static ApiException toApiException(RawResponse response) {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.contentType() != null && response.contentType().startsWith(Response.JSON)) {
            try {
                JsonNode error = TuskJson.mapper().readTree(response.body()).get("error");
                JsonNode info = error.get("details").get(0);
                Map<String, Object> metadata = new LinkedHashMap<>();
                JsonNode meta = info.get("metadata");
                if (meta != null && meta.isObject()) {
                    for (Map.Entry<String, JsonNode> entry : meta.properties()) {
                        metadata.put(entry.getKey(), entry.getValue().isValueNode()
                                ? (entry.getValue().isTextual() ? entry.getValue().textValue()
                                : entry.getValue().numberValue() != null ? entry.getValue().numberValue()
                                : entry.getValue().asText())
                                : entry.getValue().toString());
                    }
                }
                return new ApiException(response.status(), ApiStatus.fromName(error.path("status").asText(null)),
                        info.path("reason").asText(null), info.path("domain").asText(null),
                        error.path("message").asText(text), metadata);
            } catch (IOException | RuntimeException e) {
                // not AIP-193 after all: fall through and keep the text
            }
        }
        // an empty body (a framework rejection without a message) still says what happened
        return new ApiException(response.status(), null, null, null,
                text.isBlank() ? "HTTP " + response.status() + " with an empty body" : text, Map.of());
    }

    /**
     * Nothing to release: the connections belong to the transport (the shared one lives with the process; a transport
     * of one's own is closed by its owner). Kept so that owners of a client can close it without knowing that.
     */
    @Override
    public void close() {
    }
}
