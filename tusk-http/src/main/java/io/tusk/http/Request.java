package io.tusk.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import io.tusk.core.api.ErrorReason;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * One request as a handler sees it: path parameters, query parameters, headers and the body (read at most once,
 * within the route's limit). Used by one handler thread; not thread-safe.
 */
public final class Request {
    private final org.eclipse.jetty.server.Request jetty;
    private final String path;
    private final Map<String, String> pathParams;
    private final QueryString query;
    private final long maxBodyBytes;
    private boolean bodyTaken;

    Request(org.eclipse.jetty.server.Request jetty, String path, Map<String, String> pathParams, QueryString query,
            long maxBodyBytes) {
        this.jetty = jetty;
        this.path = path;
        this.pathParams = pathParams;
        this.query = query;
        this.maxBodyBytes = maxBodyBytes;
    }

    public String method() {
        return jetty.getMethod();
    }

    /** The decoded path, e.g. {@code /v1/blobs/AAEC…/metadata}. */
    public String path() {
        return path;
    }

    /** The raw (still encoded) query string, or {@code null}. */
    public String rawQuery() {
        return jetty.getHttpURI().getQuery();
    }

    // ---- path parameters ----

    /** A path parameter of the route template (decoded). */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route has no path parameter '" + name + "'");
        }
        return value;
    }

    /**
     * A path parameter parsed with {@code parser}; an {@link IllegalArgumentException} from the parser becomes a
     * 400 text/plain rejection naming the parameter.
     */
    public <T> T pathParam(String name, Function<String, T> parser) {
        String value = pathParam(name);
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw HttpRejection.badRequest("Invalid URL: Cannot parse `" + name + "` with value `" + value + "`: "
                    + e.getMessage());
        }
    }

    /** A decimal path parameter in {@code [min, max]}, else 400 text. */
    public int pathParamInt(String name, int min, int max) {
        return pathParam(name, text -> {
            int value = parseIntStrict(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be in [" + min + ", " + max + "]");
            }
            return value;
        });
    }

    public Map<String, String> pathParams() {
        return pathParams;
    }

    // ---- query parameters ----

    /**
     * The value of a query parameter that may appear at most once. A repeated one ({@code ?epochs=1&epochs=50}) is a
     * 400 text rejection, as Walrus's query structs refuse duplicate fields: taking one of the values silently would
     * act on a request the client did not mean. Parameters that may repeat are read with {@link #queryAll}.
     */
    public Optional<String> query(String name) {
        List<String> values = query.all(name);
        if (values.size() > 1) {
            throw HttpRejection.badRequest("Failed to deserialize query string: duplicate field `" + name + "`");
        }
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Every value of a repeated query parameter ({@code id=a&id=b}), in order; empty if absent. */
    public List<String> queryAll(String name) {
        return query.all(name);
    }

    public Set<String> queryNames() {
        return query.names();
    }

    /** A boolean query parameter: exactly {@code true} or {@code false}, else 400 text. */
    public boolean queryBoolean(String name, boolean defaultValue) {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw HttpRejection.badRequest("Failed to deserialize query string: " + name
                    + ": provided string was not `true` or `false`");
        };
    }

    /** A non-negative decimal query parameter, else 400 text. */
    public OptionalLong queryLong(String name) {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long parsed = Long.parseLong(value.get());
            if (parsed < 0 || !value.get().chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException();
            }
            return OptionalLong.of(parsed);
        } catch (NumberFormatException e) {
            throw HttpRejection.badRequest("Failed to deserialize query string: " + name
                    + ": invalid digit found in string");
        }
    }

    /** A query parameter parsed with {@code parser}; an {@link IllegalArgumentException} becomes 400 text. */
    public <T> Optional<T> query(String name, Function<String, T> parser) {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(value.get()));
        } catch (IllegalArgumentException e) {
            throw HttpRejection.badRequest("Failed to deserialize query string: " + name + ": " + e.getMessage());
        }
    }

    /** Rejects (400 text) any query parameter not in {@code allowed}. */
    public void rejectUnknownQuery(String... allowed) {
        Set<String> allowedSet = Set.of(allowed);
        for (String name : query.names()) {
            if (!allowedSet.contains(name)) {
                throw HttpRejection.badRequest("Failed to deserialize query string: unknown field `" + name
                        + "`, expected one of " + allowedSet);
            }
        }
    }

    // ---- headers ----

    public Optional<String> header(String name) {
        return Optional.ofNullable(jetty.getHeaders().get(name));
    }

    public List<String> headers(String name) {
        return jetty.getHeaders().getValuesList(name);
    }

    public HttpFields allHeaders() {
        return jetty.getHeaders();
    }

    public Optional<String> contentType() {
        return header("Content-Type");
    }

    /** The declared Content-Length, if any. */
    public OptionalLong contentLength() {
        long length = jetty.getHeaders().getLongField("Content-Length");
        return length < 0 ? OptionalLong.empty() : OptionalLong.of(length);
    }

    public String remoteAddress() {
        return org.eclipse.jetty.server.Request.getRemoteAddr(jetty);
    }

    // ---- body ----

    /** The route's body limit in bytes. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * The whole body. Reading stops as soon as the route's limit is passed, answering 413 text.
     *
     * @throws HttpRejection 413 if the body is over the limit
     * @throws IllegalStateException if the body was already taken
     */
    public byte[] body() {
        try (InputStream in = bodyStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }

    /**
     * The body as a stream for handlers that process it incrementally. Reading past the route's limit throws a
     * 413 {@link HttpRejection}.
     */
    public InputStream bodyStream() {
        if (bodyTaken) {
            throw new IllegalStateException("the request body was already read");
        }
        bodyTaken = true;
        return new LimitedInputStream(Content.Source.asInputStream(jetty), maxBodyBytes);
    }

    /**
     * The body parsed as JSON into {@code type} with {@link TuskJson}; malformed JSON, unknown fields or invalid
     * values answer 400 {@code INVALID_ARGUMENT}.
     */
    public <T> T json(Class<T> type) {
        return json(TuskJson.mapper().constructType(type));
    }

    public <T> T json(JavaType type) {
        byte[] body = body();
        try {
            return TuskJson.mapper().readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "invalid JSON body: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    org.eclipse.jetty.server.Request jetty() {
        return jetty;
    }

    private static int parseIntStrict(String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a decimal integer");
        }
        long value = Long.parseLong(text);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("number too large");
        }
        return (int) value;
    }

    /** Passes bytes through until the limit is exceeded, then throws a 413 rejection. */
    private static final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            // Never ask for more than one byte past the limit, so an oversized body is not read in full.
            long allowed = limit - count + 1;
            int n = in.read(buffer, offset, (int) Math.min(length, Math.max(1, allowed)));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > limit) {
                throw new HttpRejection(413, "request body is larger than the limit of " + limit + " bytes");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
