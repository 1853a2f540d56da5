package io.tusk.spaces.tree;

import io.tusk.spaces.InvalidKeyException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Entry keys: valid UTF-8 of 1..{@value #MAX_KEY_BYTES} bytes (S3's limit), ordered by their UTF-8 bytes compared
 * unsigned, which is Unicode code point order (Java's {@code String.compareTo} is UTF-16 order and differs for
 * characters above U+FFFF). Inside the tree keys are kept as their UTF-8 bytes.
 */
public final class Keys {
    public static final int MAX_KEY_BYTES = 1024;
    /** Code point order on UTF-8 bytes. */
    public static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

    private Keys() {
    }

    /**
     * The UTF-8 bytes of a key.
     *
     * @throws InvalidKeyException if the key is empty, longer than 1024 bytes, or not valid Unicode (an unpaired
     *                             surrogate has no UTF-8 form)
     */
    public static byte[] encode(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidKeyException("a key must not be empty");
        }
        byte[] bytes;
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(key));
            bytes = Arrays.copyOf(encoded.array(), encoded.limit());
        } catch (CharacterCodingException e) {
            throw new InvalidKeyException("key " + printable(key) + " is not valid UTF-8 (an unpaired surrogate)");
        }
        if (bytes.length > MAX_KEY_BYTES) {
            throw new InvalidKeyException("key of " + bytes.length + " UTF-8 bytes is longer than " + MAX_KEY_BYTES
                    + ": " + printable(key.substring(0, Math.min(key.length(), 40))) + "...");
        }
        return bytes;
    }

    /** The key of stored UTF-8 bytes. @throws InvalidKeyException if they are not valid UTF-8 */
    public static String decode(byte[] key) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidKeyException("stored key of " + key.length + " bytes is not valid UTF-8");
        }
    }

    /** Code point order of two keys given as strings. */
    public static int compare(String a, String b) {
        return ORDER.compare(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The least byte string greater than every string starting with {@code prefix}, or null if there is none (the
     * prefix is all 0xFF bytes). Used to skip past a prefix when listing with a delimiter.
     */
    public static byte[] prefixSuccessor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if ((prefix[i] & 0xff) != 0xff) {
                byte[] out = Arrays.copyOf(prefix, i + 1);
                out[i]++;
                return out;
            }
        }
        return null;
    }

    public static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** A key for messages: quoted, with control characters escaped. */
    public static String printable(String key) {
        StringBuilder out = new StringBuilder("'");
        key.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0xD800 && c <= 0xDFFF)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('\'').toString();
    }
}
