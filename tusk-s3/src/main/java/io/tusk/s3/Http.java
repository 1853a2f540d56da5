package io.tusk.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** HTTP details S3 follows: dates, ETag matching, byte ranges. */
final class Http {
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.US).withZone(ZoneOffset.UTC);

    private Http() {
    }

    static String httpDate(Instant time) {
        return RFC_1123.format(time);
    }

    /** An HTTP date (RFC 1123, or ISO-8601 as some clients send), or empty if it does not parse (then it is ignored). */
    static Optional<Instant> parseDate(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(text.trim()));
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }

    /** Whether an If-Match / If-None-Match value ({@code *}, or quoted ETags separated by commas) names {@code etag}. */
    static boolean etagMatches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || strip(c).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    static String strip(String etag) {
        String e = etag.trim();
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

    /** Seconds-precision comparison, as HTTP dates have. */
    static boolean modifiedSince(Instant modified, Instant since) {
        return modified.truncatedTo(ChronoUnit.SECONDS).isAfter(since);
    }

    /** A satisfiable byte range of an object: first byte and length. */
    record Range(long start, long length) {
        long end() {
            return start + length - 1;
        }

        String contentRange(long size) {
            return "bytes " + start + "-" + end() + "/" + size;
        }
    }

    /**
     * The range a {@code Range} header asks of an object of {@code size} bytes: {@code bytes=a-b}, {@code bytes=a-},
     * {@code bytes=-n}. A header that does not parse, or names several ranges, is ignored (empty: the whole object),
     * as S3 does.
     *
     * @throws S3Exception {@code InvalidRange} (416) if it is well-formed but not satisfiable
     */
    static Optional<Range> range(String header, long size) {
        String h = header.trim();
        if (!h.toLowerCase(Locale.ROOT).startsWith("bytes=") || h.contains(",")) {
            return Optional.empty();
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        try {
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return Optional.empty();
                }
                long suffix = Long.parseLong(last);
                if (suffix == 0 || size == 0) {
                    throw unsatisfiable(size);
                }
                long length = Math.min(suffix, size);
                return Optional.of(new Range(size - length, length));
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
            if (end < start) {
                return Optional.empty();
            }
            if (start >= size) {
                throw unsatisfiable(size);
            }
            end = Math.min(end, size - 1);
            return Optional.of(new Range(start, end - start + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static S3Exception unsatisfiable(long size) {
        return new S3Exception(S3Error.INVALID_RANGE).field("RangeRequested", null)
                .field("ActualObjectSize", Long.toString(size)).header("Content-Range", "bytes */" + size);
    }
}
