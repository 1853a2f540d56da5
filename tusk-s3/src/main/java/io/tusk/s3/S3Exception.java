package io.tusk.s3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An S3 error answered as S3's XML error document ({@code <Error><Code>…</Code><Message>…</Message>…}), with extra
 * elements (e.g. {@code BucketName}, {@code Key}) and response headers (e.g. {@code x-amz-delete-marker}).
 */
public final class S3Exception extends RuntimeException {
    private final S3Error error;
    private final Map<String, String> fields = new LinkedHashMap<>();
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();

    public S3Exception(S3Error error) {
        this(error, error.defaultMessage());
    }

    public S3Exception(S3Error error, String message) {
        super(message);
        this.error = error;
    }

    public S3Exception(S3Error error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public S3Error error() {
        return error;
    }

    /** Adds an element to the error document, e.g. {@code field("BucketName", name)}; returns this. */
    public S3Exception field(String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
        return this;
    }

    /** Adds a response header; returns this. */
    public S3Exception header(String name, String value) {
        headers.add(Map.entry(name, value));
        return this;
    }

    public Map<String, String> fields() {
        return Map.copyOf(fields);
    }

    Map<String, String> orderedFields() {
        return fields;
    }

    public List<Map.Entry<String, String>> headers() {
        return List.copyOf(headers);
    }

    static S3Exception noSuchBucket(String bucket) {
        return new S3Exception(S3Error.NO_SUCH_BUCKET).field("BucketName", bucket);
    }

    static S3Exception noSuchKey(String key) {
        return new S3Exception(S3Error.NO_SUCH_KEY).field("Key", key);
    }

    static S3Exception invalidArgument(String message, String name, String value) {
        return new S3Exception(S3Error.INVALID_ARGUMENT, message).field("ArgumentName", name).field("ArgumentValue", value);
    }
}
