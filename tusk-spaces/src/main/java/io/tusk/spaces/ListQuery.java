package io.tusk.spaces;

/**
 * A listing of entries in key order (UTF-8 code point order): those whose key starts with {@code prefix}, after
 * {@code startAfter} (exclusive; a page's {@link ListPage#nextStartAfter}), at most {@code limit} items. With a
 * {@code delimiter}, keys with the delimiter after the prefix are rolled up into common prefixes (S3's
 * ListObjectsV2), each counting as one item.
 */
public record ListQuery(String prefix, String delimiter, String startAfter, int limit) {
    public static final int MAX_LIMIT = 10_000;

    public ListQuery {
        prefix = prefix == null ? "" : prefix;
        if (delimiter != null && delimiter.isEmpty()) {
            delimiter = null;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("list limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
    }

    public static ListQuery all() {
        return new ListQuery("", null, null, 1000);
    }

    public static ListQuery prefix(String prefix) {
        return new ListQuery(prefix, null, null, 1000);
    }

    public ListQuery withDelimiter(String value) {
        return new ListQuery(prefix, value, startAfter, limit);
    }

    public ListQuery withStartAfter(String value) {
        return new ListQuery(prefix, delimiter, value, limit);
    }

    public ListQuery withLimit(int value) {
        return new ListQuery(prefix, delimiter, startAfter, value);
    }
}
