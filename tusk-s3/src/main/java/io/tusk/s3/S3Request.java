package io.tusk.s3;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request to the S3 API: method, the raw path and query (what signatures cover), the decoded query, headers,
 * and the bucket and key it addresses, path-style ({@code /BUCKET/KEY}) or virtual-host style ({@code Host:
 * BUCKET.domain}, path {@code /KEY}).
 */
final class S3Request {
    private final org.eclipse.jetty.server.Request jetty;
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> query;
    private final String bucket;
    private final String key;
    private final String requestId;
    private final boolean virtualHost;

    private S3Request(org.eclipse.jetty.server.Request jetty, String method, String rawPath, String rawQuery,
                      Map<String, List<String>> query, String bucket, String key, String requestId, boolean virtualHost) {
        this.jetty = jetty;
        this.method = method;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
        this.query = query;
        this.bucket = bucket;
        this.key = key;
        this.requestId = requestId;
        this.virtualHost = virtualHost;
    }

    /**
     * @throws S3Exception {@code InvalidArgument} or {@code InvalidURI}-like errors for a path or query that does not
     *                     decode
     */
    static S3Request of(org.eclipse.jetty.server.Request jetty, List<String> domains, String requestId) {
        String rawPath = jetty.getHttpURI().getPath();
        if (rawPath == null || rawPath.isEmpty()) {
            rawPath = "/";
        }
        String rawQuery = jetty.getHttpURI().getQuery();
        Map<String, List<String>> query = parseQuery(rawQuery);
        String host = hostName(jetty.getHeaders().get("Host"));
        String bucket = null;
        boolean virtualHost = false;
        if (host != null) {
            for (String domain : domains) {
                if (host.endsWith("." + domain) && host.length() > domain.length() + 1) {
                    bucket = host.substring(0, host.length() - domain.length() - 1);
                    virtualHost = true;
                    break;
                }
            }
        }
        String path;
        try {
            path = UriEncoding.decode(rawPath, false);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "the request path does not decode: " + e.getMessage());
        }
        String key;
        if (virtualHost) {
            key = path.length() > 1 ? path.substring(1) : null;
        } else {
            String rest = path.substring(1);
            int slash = rest.indexOf('/');
            if (rest.isEmpty()) {
                bucket = null;
                key = null;
            } else if (slash < 0) {
                bucket = rest;
                key = null;
            } else {
                bucket = rest.substring(0, slash);
                key = rest.length() > slash + 1 ? rest.substring(slash + 1) : null;
            }
        }
        return new S3Request(jetty, jetty.getMethod(), rawPath, rawQuery, query, bucket, key, requestId, virtualHost);
    }

    /** The host name of a Host header, without its port (IPv6 literals keep their brackets). */
    static String hostName(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return null;
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = UriEncoding.decode(eq < 0 ? pair : pair.substring(0, eq), true);
                String value = eq < 0 ? "" : UriEncoding.decode(pair.substring(eq + 1), true);
                query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "the query does not decode: " + e.getMessage());
            }
        }
        return query;
    }

    String method() {
        return method;
    }

    String rawPath() {
        return rawPath;
    }

    String rawQuery() {
        return rawQuery;
    }

    Map<String, List<String>> queryMap() {
        return query;
    }

    boolean has(String queryName) {
        return query.containsKey(queryName);
    }

    /** The first value of a query parameter (empty string for {@code ?name} without a value). */
    Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The bucket addressed, or null (the service itself: ListBuckets). */
    String bucket() {
        return bucket;
    }

    /** The key addressed, or null (the bucket itself). */
    String key() {
        return key;
    }

    boolean virtualHost() {
        return virtualHost;
    }

    String requestId() {
        return requestId;
    }

    HttpFields headers() {
        return jetty.getHeaders();
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(jetty.getHeaders().get(name));
    }

    /** The declared Content-Length, or -1. */
    long contentLength() {
        return jetty.getHeaders().getLongField("Content-Length");
    }

    /** The raw body as sent (possibly aws-chunked); read it once. */
    InputStream rawBody() {
        return Content.Source.asInputStream(jetty);
    }

    org.eclipse.jetty.server.Request jetty() {
        return jetty;
    }

    /** "bucket/key" for logs and error documents. */
    String resource() {
        return "/" + (bucket == null ? "" : bucket) + (key == null ? "" : "/" + key);
    }
}
