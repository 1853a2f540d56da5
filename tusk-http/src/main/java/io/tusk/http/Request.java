package io.tusk.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import io.tusk.core.api.ErrorReason;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
    private final ParameterErrors errors;
    private LimitedInputStream body;

    Request(org.eclipse.jetty.server.Request jetty, String path, Map<String, String> pathParams, QueryString query,
            long maxBodyBytes, ParameterErrors errors) {
        this.jetty = jetty;
        this.path = path;
        this.pathParams = pathParams;
        this.query = query;
        this.maxBodyBytes = maxBodyBytes;
        this.errors = errors;
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
    //
    // The typed parsers below refuse a bad value the way the server was built to (HttpServerBuilder
    // .parameterErrors): as Walrus's framework does, 400 text/plain, or as AIP-193 JSON.

    /** A path parameter of the route template (decoded). */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route has no path parameter '" + name + "'");
        }
        return value;
    }

    /** A path parameter parsed with {@code parser}; an {@link IllegalArgumentException} from it refuses the request. */
    public <T> T pathParam(String name, Function<String, T> parser) {
        String value = pathParam(name);
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw errors.badPath(name, value, e.getMessage());
        }
    }

    /** A path parameter that is a decimal {@code u16} (Walrus's sliver and shard indices). */
    public int pathParamU16(String name) {
        String value = pathParam(name);
        if (value.isEmpty() || value.length() > 5 || !isDigits(value) || Integer.parseInt(value) > 0xFFFF) {
            throw errors.badPathU16(name, value);
        }
        return Integer.parseInt(value);
    }

    public Map<String, String> pathParams() {
        return pathParams;
    }

    // ---- query parameters ----

    /**
     * The value of a query parameter that may appear at most once; a repeated one refuses the request (as serde does
     * for a struct field).
     */
    public Optional<String> query(String name) {
        List<String> values = query.all(name);
        if (values.size() > 1) {
            throw errors.repeatedQuery(name);
        }
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** A query parameter that must be present (once). */
    public String queryRequired(String name) {
        return query(name).orElseThrow(() -> errors.missingQuery(name));
    }

    /** A query parameter that must be present (once), parsed with {@code parser}. */
    public <T> T queryRequired(String name, Function<String, T> parser) {
        return parse(name, queryRequired(name), parser);
    }

    /** A query parameter parsed with {@code parser}; an {@link IllegalArgumentException} from it refuses the request. */
    public <T> Optional<T> query(String name, Function<String, T> parser) {
        return query(name).map(value -> parse(name, value, parser));
    }

    /** Every value of a repeated query parameter ({@code id=a&id=b}), in order; empty if absent. */
    public List<String> queryAll(String name) {
        return query.all(name);
    }

    /** Every value of a repeated query parameter, each parsed with {@code parser}. */
    public <T> List<T> queryAll(String name, Function<String, T> parser) {
        List<String> values = query.all(name);
        List<T> parsed = new ArrayList<>(values.size());
        for (String value : values) {
            parsed.add(parse(name, value, parser));
        }
        return parsed;
    }

    public Set<String> queryNames() {
        return query.names();
    }

    /** A boolean query parameter: exactly {@code true} or {@code false}. */
    public boolean queryBoolean(String name, boolean defaultValue) {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw errors.badQueryBoolean(name, value.get());
        };
    }

    /** A decimal query parameter in {@code [min, max]} (digits only: no sign, no spaces). */
    public OptionalLong queryLong(String name, long min, long max) {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        String text = value.get();
        long parsed;
        try {
            if (text.isEmpty() || !isDigits(text)) {
                throw new NumberFormatException();
            }
            parsed = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw errors.badQueryInteger(name, text);
        }
        if (parsed < min || parsed > max) {
            throw errors.queryOutOfRange(name, parsed, min, max);
        }
        return OptionalLong.of(parsed);
    }

    /** Refuses any query parameter not in {@code allowed}, as a query struct that denies unknown fields does. */
    public void rejectUnknownQuery(String... allowed) {
        List<String> allowedList = List.of(allowed);
        for (String name : query.names()) {
            if (!allowedList.contains(name)) {
                throw errors.unknownQuery(name, allowedList);
            }
        }
    }

    private <T> T parse(String name, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw errors.badQuery(name, value, e.getMessage());
        }
    }

    private static boolean isDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
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
        return body(maxBodyBytes);
    }

    /**
     * The whole body, refusing (413 text) more than {@code limit} bytes or the route's limit, whichever is smaller:
     * for handlers whose limit depends on the request (a sliver's largest size depends on the committee). A body of
     * declared length is refused before a byte is read, and otherwise read straight into one array of that size
     * (slivers are megabytes: no growing and copying).
     *
     * @throws HttpRejection 413 if the body is over the limit
     * @throws IllegalStateException if the body was already taken
     */
    public byte[] body(long limit) {
        long effective = Math.min(limit, maxBodyBytes);
        long declared = contentLength().orElse(-1);
        if (declared > effective) {
            throw LimitedInputStream.tooLarge(effective);
        }
        try (InputStream in = bodyStream(effective)) {
            if (declared < 0) {
                return in.readAllBytes();
            }
            byte[] body = new byte[(int) declared];
            int read = in.readNBytes(body, 0, body.length);
            if (read < body.length) {
                throw new EOFException("the request body ended after " + read + " of " + declared + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }

    /**
     * The body as a stream for handlers that process it incrementally. Reading past the route's limit throws a
     * 413 {@link HttpRejection}.
     */
    public InputStream bodyStream() {
        return bodyStream(maxBodyBytes);
    }

    private InputStream bodyStream(long limit) {
        if (body != null) {
            throw new IllegalStateException("the request body was already read");
        }
        body = new LimitedInputStream(Content.Source.asInputStream(jetty), limit);
        return body;
    }

    /** How many body bytes the handler read (0 if it did not read the body). */
    long bodyBytesRead() {
        LimitedInputStream in = body;
        return in == null ? 0 : in.count;
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

    /** Passes bytes through until the limit is exceeded, then throws a 413 rejection. */
    private static final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private final long limit;
        private volatile long count; // read by the server thread after the handler returned

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
                throw tooLarge(limit);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        static HttpRejection tooLarge(long limit) {
            return new HttpRejection(413, "the request body is larger than the limit of " + limit + " bytes");
        }
    }
}
