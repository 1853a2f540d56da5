package io.tusk.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.core.api.ApiStatus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A small client for Tusk's and Walrus's JSON APIs over {@link java.net.http.HttpClient} (HTTP/1.1).
 *
 * <p>2xx answers: JSON with a {@code {"success":{"code","data"}}} envelope is unwrapped to {@code data}; other JSON
 * is read whole. 4xx/5xx: {@link ApiException}, typed when the body is AIP-193. No answer: {@link
 * HttpTransportException}. Paths are resolved against the base URI. Requests made inside a {@link TraceContext}
 * carry its trace ID ({@code traceparent}). Thread-safe; one instance per target service shares its connections.
 */
public final class JsonHttpClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final ObjectMapper mapper;

    private JsonHttpClient(HttpClient http, URI base, Duration timeout, ObjectMapper mapper) {
        this.http = http;
        this.base = base;
        this.timeout = timeout;
        this.mapper = mapper;
    }

    /** A client of {@code base} (e.g. {@code http://127.0.0.1:9185}) with a 30 s request timeout. */
    public static JsonHttpClient create(URI base) {
        return create(base, Duration.ofSeconds(5), DEFAULT_TIMEOUT);
    }

    public static JsonHttpClient create(URI base, Duration connectTimeout, Duration requestTimeout) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new JsonHttpClient(http, Objects.requireNonNull(base, "base"), requestTimeout, TuskJson.mapper());
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
    public <T> T putBuffers(String path, java.nio.ByteBuffer[] body, Class<T> type) {
        RawResponse response = sendBody("PUT", path, BufferPublisher.of(body), Response.OCTET_STREAM, Response.JSON);
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
        return sendBody(method, path, body == null ? null : HttpRequest.BodyPublishers.ofByteArray(body), contentType, accept);
    }

    private RawResponse sendBody(String method, String path, HttpRequest.BodyPublisher body, String contentType,
                             String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (body != null && contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        TraceContext.current().ifPresent(trace -> request.header(TraceContext.HEADER, TraceContext.header(trace)));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new HttpTransportException(method + " " + base.resolve(path) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpTransportException(method + " " + base.resolve(path) + " was interrupted", e);
        }
        RawResponse raw = new RawResponse(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), response.body());
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
                    for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> entry = it.next();
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
        return new ApiException(response.status(), null, null, null, text, Map.of());
    }

    /**
     * Closes the connections. Clients made by {@link #withTimeout} share them, so close only the one that was
     * created.
     */
    @Override
    public void close() {
        http.close();
    }
}
