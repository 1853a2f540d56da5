package io.tusk.core.quilt;

import io.tusk.core.metadata.BlobId;

import java.util.Base64;
import java.util.Objects;

/**
 * The ID of one patch in a quilt (Walrus {@code QuiltPatchId}): 37 bytes, the quilt ID (32 raw bytes) ‖ 0x01 (the
 * internal ID version) ‖ start column u16 LE ‖ end column u16 LE (exclusive). Its text form is URL-safe base64
 * without padding (50 characters), as Walrus's aggregator route {@code /v1/blobs/by-quilt-patch-id/{id}} takes it.
 */
public record QuiltPatchId(BlobId quiltId, int startIndex, int endIndex) {
    public static final int LENGTH = 37;
    public static final int TEXT_LENGTH = 50;
    /** The version byte of Walrus's {@code QuiltPatchInternalIdV1}. */
    public static final int INTERNAL_ID_VERSION = 1;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    public QuiltPatchId {
        Objects.requireNonNull(quiltId, "quiltId");
        if (startIndex < 0 || endIndex <= startIndex || endIndex > 0xFFFF) {
            throw new IllegalArgumentException("quilt patch ID needs 0 <= start < end <= 65535, got [" + startIndex
                    + ", " + endIndex + ")");
        }
    }

    /** The 37 bytes. */
    public byte[] toBytes() {
        byte[] out = new byte[LENGTH];
        System.arraycopy(quiltId.bytes(), 0, out, 0, BlobId.LENGTH);
        out[32] = INTERNAL_ID_VERSION;
        out[33] = (byte) startIndex;
        out[34] = (byte) (startIndex >>> 8);
        out[35] = (byte) endIndex;
        out[36] = (byte) (endIndex >>> 8);
        return out;
    }

    /** Reads the 37 bytes, strictly (version 1, start < end). */
    public static QuiltPatchId fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("quilt patch ID must be " + LENGTH + " bytes, got " + bytes.length);
        }
        if ((bytes[32] & 0xff) != INTERNAL_ID_VERSION) {
            throw new IllegalArgumentException("quilt patch ID has version " + (bytes[32] & 0xff) + ", only "
                    + INTERNAL_ID_VERSION + " is known");
        }
        int start = (bytes[33] & 0xff) | (bytes[34] & 0xff) << 8;
        int end = (bytes[35] & 0xff) | (bytes[36] & 0xff) << 8;
        return new QuiltPatchId(BlobId.of(java.util.Arrays.copyOf(bytes, BlobId.LENGTH)), start, end);
    }

    /**
     * Parses the text form strictly: 50 base64url characters, no padding, no non-zero trailing bits, version 1,
     * start &lt; end.
     */
    public static QuiltPatchId parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() != TEXT_LENGTH) {
            throw new IllegalArgumentException("quilt patch ID must be " + TEXT_LENGTH + " base64url characters, got "
                    + text.length());
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("quilt patch ID has a character outside base64url at position " + i);
            }
        }
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        if (!ENCODER.encodeToString(bytes).equals(text)) { // 50 chars carry 300 bits: the last 4 must be zero
            throw new IllegalArgumentException("quilt patch ID has non-zero trailing bits: '" + text + "'");
        }
        return fromBytes(bytes);
    }

    @Override
    public String toString() {
        return ENCODER.encodeToString(toBytes());
    }
}
