package io.tusk.gateway;

/**
 * One satisfiable byte range of a blob, {@code first} to {@code last} inclusive, as an HTTP {@code Range} header
 * selects it (RFC 9110 section 14.1.2). Unlike Walrus's aggregator, which accepts only the closed form, all three
 * single-range forms are understood:
 * <ul>
 *   <li>{@code bytes=a-b}: bytes a to b; a {@code b} past the end is cut to the last byte (RFC 9110);</li>
 *   <li>{@code bytes=a-}: from a to the end;</li>
 *   <li>{@code bytes=-n}: the last n bytes (all of them if the blob is shorter).</li>
 * </ul>
 * Several ranges, a malformed header, a first byte at or past the end, or a zero-length suffix are unsatisfiable.
 */
public record ByteRange(long first, long last, long total) {
    public ByteRange {
        if (first < 0 || last < first || last >= total) {
            throw new IllegalArgumentException("invalid range " + first + "-" + last + " of " + total + " bytes");
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value, {@code bytes first-last/total}. */
    public String contentRange() {
        return "bytes " + first + "-" + last + "/" + total;
    }

    /** Why a {@code Range} header cannot be served; the message names the header and the blob's size. */
    public static final class UnsatisfiableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnsatisfiableException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses {@code header} against a blob of {@code total} bytes.
     *
     * @throws UnsatisfiableException if the header is malformed, names several ranges or none inside the blob
     */
    public static ByteRange parse(String header, long total) throws UnsatisfiableException {
        String value = header.strip();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
            throw new UnsatisfiableException("unsupported Range header '" + header + "': only 'bytes=' ranges are served");
        }
        String spec = value.substring(6).strip();
        if (spec.contains(",")) {
            throw new UnsatisfiableException("Range header '" + header + "' names several ranges; only one is served");
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw new UnsatisfiableException("malformed Range header '" + header + "': expected bytes=first-last, "
                    + "bytes=first- or bytes=-suffixLength");
        }
        String firstText = spec.substring(0, dash).strip();
        String lastText = spec.substring(dash + 1).strip();
        if (firstText.isEmpty()) { // suffix: the last n bytes
            long suffix = number(lastText, header);
            if (suffix == 0 || total == 0) {
                throw new UnsatisfiableException("Range header '" + header + "' selects no byte of a blob of " + total
                        + " bytes");
            }
            return new ByteRange(Math.max(0, total - suffix), total - 1, total);
        }
        long first = number(firstText, header);
        long last = lastText.isEmpty() ? Long.MAX_VALUE : number(lastText, header);
        if (last < first) {
            throw new UnsatisfiableException("Range header '" + header + "' ends before it starts");
        }
        if (first >= total) {
            throw new UnsatisfiableException("Range header '" + header + "' starts at or after the end of a blob of "
                    + total + " bytes");
        }
        return new ByteRange(first, Math.min(last, total - 1), total);
    }

    private static long number(String text, String header) throws UnsatisfiableException {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new UnsatisfiableException("malformed Range header '" + header + "': '" + text
                    + "' is not a byte position");
        }
        return Long.parseLong(text);
    }
}
