package io.tusk.spaces;

/**
 * A condition on the entry a change replaces, checked against the version the commit builds on (and again on every
 * retry): S3's {@code If-None-Match: *} and {@code If-Match}. If it does not hold, nothing is committed
 * ({@link PreconditionFailedException}).
 */
public sealed interface Condition {
    /** No entry with the key exists. */
    record IfAbsent() implements Condition {
    }

    /** The entry exists and its etag is {@code etag} (hex). */
    record IfMatch(String etag) implements Condition {
        public IfMatch {
            java.util.Objects.requireNonNull(etag, "etag");
        }
    }

    /** The entry exists and was written by version {@code version}. */
    record IfVersion(long version) implements Condition {
    }

    static Condition ifAbsent() {
        return new IfAbsent();
    }

    static Condition ifMatch(String etag) {
        return new IfMatch(etag);
    }

    static Condition ifVersion(long version) {
        return new IfVersion(version);
    }
}
