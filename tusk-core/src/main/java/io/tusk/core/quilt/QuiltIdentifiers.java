package io.tusk.core.quilt;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * Walrus's rules for patch identifiers (Rust {@code validate_quilt_identifier}) and their order in a quilt.
 *
 * <ul>
 *   <li>non-empty, valid Unicode (a Java string with a lone surrogate has no UTF-8 form);</li>
 *   <li>its BCS encoding (ULEB128 length ‖ UTF-8) is shorter than 65535 bytes, so at most 65531 UTF-8 bytes;</li>
 *   <li>no trailing whitespace (Unicode White_Space, as Rust's {@code trim_end});</li>
 *   <li>no control character anywhere (Unicode Cc: U+0000–U+001F, U+007F–U+009F).</li>
 * </ul>
 * Patches are sorted by the UTF-8 bytes of their identifiers (Rust {@code String} order), which is code point order,
 * not Java's UTF-16 {@link String#compareTo}.
 */
public final class QuiltIdentifiers {
    /** The most UTF-8 bytes an identifier can have: 65531 bytes + a 3-byte ULEB128 prefix = 65534 < 65535. */
    public static final int MAX_IDENTIFIER_BYTES = 65_531;

    /**
     * The most UTF-8 bytes of an identifier Tusk stores: its by-identifier URL
     * ({@code /v1/blobs/by-quilt-id/{quilt}/{identifier}}, up to three characters per byte once percent-encoded) then
     * stays far below the 8 KiB request line that HTTP servers (the gateway's Jetty among them) accept; Walrus's own
     * limit of {@value #MAX_IDENTIFIER_BYTES} makes identifiers whose URL answers 414.
     */
    public static final int MAX_ADDRESSABLE_BYTES = 1024;

    /** Identifier order in a quilt: UTF-8 byte order (= Unicode code point order). */
    public static final Comparator<String> ORDER = QuiltIdentifiers::compare;

    private QuiltIdentifiers() {}

    /**
     * Checks {@code identifier} against Walrus's rules.
     *
     * @return its UTF-8 bytes
     * @throws InvalidIdentifierException naming the broken rule
     */
    public static byte[] validate(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            throw new InvalidIdentifierException(identifier == null ? "" : identifier, "must not be empty");
        }
        byte[] utf8 = utf8(identifier, "identifier");
        if (utf8 == null) {
            throw new InvalidIdentifierException(identifier, "not valid Unicode (unpaired surrogate)");
        }
        if (utf8.length > MAX_IDENTIFIER_BYTES) {
            throw new InvalidIdentifierException(identifier, utf8.length + " UTF-8 bytes, at most "
                    + MAX_IDENTIFIER_BYTES + " allowed");
        }
        for (int i = 0; i < identifier.length(); ) {
            int cp = identifier.codePointAt(i);
            if (Character.getType(cp) == Character.CONTROL) {
                throw new InvalidIdentifierException(identifier, String.format("control character U+%04X at index %d", cp, i));
            }
            i += Character.charCount(cp);
        }
        int last = identifier.codePointBefore(identifier.length());
        if (isWhiteSpace(last)) {
            throw new InvalidIdentifierException(identifier, String.format("trailing whitespace U+%04X", last));
        }
        return utf8;
    }

    /**
     * Checks that a patch can be addressed by its identifier once stored, on top of {@link #validate Walrus's rules}:
     * Tusk refuses at store time what Walrus would store but nobody could read back by identifier. An identifier is
     * read in a URL ({@code /v1/blobs/by-quilt-id/{quilt}/{identifier}}) and written as a relative file path
     * ({@code read-quilt --out DIR}), so it has at most {@value #MAX_ADDRESSABLE_BYTES} UTF-8 bytes, and its
     * {@code /}- or {@code \}-separated segments are neither empty nor {@code .} or {@code ..} (HTTP servers refuse or
     * normalise such segments, and as a path they would leave the output directory: {@code ../x}, {@code /etc/x}).
     *
     * @throws InvalidIdentifierException naming the broken rule
     */
    public static void requireAddressable(String identifier) {
        byte[] utf8 = validate(identifier);
        if (utf8.length > MAX_ADDRESSABLE_BYTES) {
            throw new InvalidIdentifierException(identifier, utf8.length + " UTF-8 bytes: an identifier can have at most "
                    + MAX_ADDRESSABLE_BYTES + " bytes, so that its URL stays addressable");
        }
        for (String segment : identifier.split("[/\\\\]", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new InvalidIdentifierException(identifier, (segment.isEmpty() ? "an empty path segment"
                        : "a '" + segment + "' path segment") + ": an identifier must be addressable as a URL and "
                        + "stay inside the directory it is read into");
            }
        }
    }

    /** Compares by UTF-8 bytes, i.e. by code points. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Unicode White_Space, the property Rust's {@code char::is_whitespace} tests. */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** Strict UTF-8 encoding; null if the string has an unpaired surrogate. */
    static byte[] utf8(String s, String what) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(java.nio.CharBuffer.wrap(s));
            byte[] out = new byte[encoded.remaining()];
            encoded.get(out);
            return out;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** For messages: control characters escaped, long identifiers cut. */
    static String printable(String identifier) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < identifier.length() && out.length() < 120; i++) {
            char c = identifier.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= 120) {
            out.append("…(").append(identifier.length()).append(" chars)");
        }
        return out.toString();
    }
}
