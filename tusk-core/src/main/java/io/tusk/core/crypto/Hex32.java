package io.tusk.core.crypto;

import java.util.HexFormat;

/**
 * The Sui text form of 32-byte values (addresses, object IDs): {@code 0x} + 64 lowercase hex digits on output;
 * on input {@code 0x} + 1..64 hex digits (left-padded with zeros) or exactly 64 hex digits without {@code 0x}.
 */
public final class Hex32 {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private Hex32() {
    }

    /** Formats 32 bytes as {@code 0x} + 64 lowercase hex digits. */
    public static String format(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }

    /**
     * Parses the Sui text form.
     *
     * @param what named in the exception message, e.g. "address"
     * @throws IllegalArgumentException if the text is not a valid form
     */
    public static byte[] parse(String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        String digits;
        if (text.startsWith("0x") || text.startsWith("0X")) {
            digits = text.substring(2);
            if (digits.isEmpty() || digits.length() > 2 * LENGTH) {
                throw new IllegalArgumentException(what + " must be 0x followed by 1 to 64 hex digits, got "
                        + digits.length() + " digits: '" + abbreviate(text) + "'");
            }
        } else {
            digits = text;
            if (digits.length() != 2 * LENGTH) {
                throw new IllegalArgumentException(what + " without 0x must be exactly 64 hex digits, got "
                        + digits.length() + ": '" + abbreviate(text) + "'");
            }
        }
        for (int i = 0; i < digits.length(); i++) {
            if (!isHexDigit(digits.charAt(i))) {
                throw new IllegalArgumentException(what + " has a non-hex character at position " + i + ": '"
                        + abbreviate(text) + "'");
            }
        }
        String padded = "0".repeat(2 * LENGTH - digits.length()) + digits;
        return HEX.parseHex(padded);
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
