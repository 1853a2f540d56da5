package io.tusk.s3;

import io.tusk.core.hash.Blake2b256;

import java.nio.charset.StandardCharsets;

/**
 * The keys of a bucket's space that are not objects. They all start with U+10FFFF, the last code point, so in the
 * space's order (UTF-8 bytes) they sort after every object key, and an object key may not start with it:
 * <ul>
 *   <li>{@code ￿config}: the bucket's settings ({@link BucketSettings});</li>
 *   <li>{@code ￿v/HASH/INVERTED} : a noncurrent version or a delete marker of the object whose key hashes to HASH,
 *       newest first ({@code INVERTED} is the version counted down from 2^63 in hex), kept as the entry it was;</li>
 *   <li>{@code ￿u/UPLOAD}: a multipart upload in progress (its key and headers in the metadata);</li>
 *   <li>{@code ￿p/UPLOAD/NNNNN}: its parts.</li>
 * </ul>
 * Version records are keyed by a hash of the object key (26 base32 characters, 130 bits) because a key may already be
 * as long as a space allows.
 */
final class InternalKeys {
    static final String PREFIX = new String(Character.toChars(0x10FFFF));
    static final String CONFIG = PREFIX + "config";
    private static final String VERSIONS = PREFIX + "v/";
    private static final String UPLOADS = PREFIX + "u/";
    private static final String PARTS = PREFIX + "p/";
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private InternalKeys() {
    }

    static boolean isInternal(String key) {
        return key.startsWith(PREFIX);
    }

    /** The prefix of every version record of {@code objectKey}. */
    static String versionsOf(String objectKey) {
        return VERSIONS + hash(objectKey) + "/";
    }

    static String version(String objectKey, long entryVersion) {
        return versionsOf(objectKey) + String.format("%016x", Long.MAX_VALUE - entryVersion);
    }

    static String uploadsPrefix() {
        return UPLOADS;
    }

    static String upload(String uploadId) {
        return UPLOADS + uploadId;
    }

    static String partsOf(String uploadId) {
        return PARTS + uploadId + "/";
    }

    static String part(String uploadId, int partNumber) {
        return partsOf(uploadId) + String.format("%05d", partNumber);
    }

    static int partNumber(String partKey) {
        return Integer.parseInt(partKey.substring(partKey.length() - 5));
    }

    private static String hash(String key) {
        byte[] digest = Blake2b256.hash(key.getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder(26);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; out.length() < 26; i++) {
            buffer = buffer << 8 | (digest[i] & 0xff);
            bits += 8;
            while (bits >= 5 && out.length() < 26) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return out.toString();
    }
}
