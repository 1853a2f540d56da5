package io.tusk.control.state;

import io.tusk.control.api.Command;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.metadata.BlobId;

import java.util.Base64;

/**
 * What a {@code commitSpace} asks for, with everything checked that needs no state: a new version held in a manifest
 * blob ({@link Blob}), a small new version held by the control plane ({@link Inline}), or the folding of inline
 * versions into a manifest blob ({@link Fold}). Any other combination of the command's fields is refused
 * {@code INVALID_ARGUMENT}, so a handler never sees a half-valid command.
 */
sealed interface SpaceCommit {
    /** A new version whose manifest is the blob {@code manifest}. */
    record Blob(BlobId manifest) implements SpaceCommit {}

    /** A new version held inline: its bytes and its sealed data keys (null if none were sent), decoded. */
    record Inline(byte[] inline, byte[] keys) implements SpaceCommit {
        /** Bytes it adds to the space's pending inline bytes. */
        int size() {
            return inline.length + (keys == null ? 0 : keys.length);
        }
    }

    /** The inline versions up to the command's {@code expectedVersion} are now in the blob {@code manifest}. */
    record Fold(BlobId manifest) implements SpaceCommit {}

    static SpaceCommit of(Command.CommitSpace c) throws Refusal {
        boolean hasManifest = c.manifestBlobId() != null;
        boolean hasInline = c.inline() != null;
        if (hasManifest == hasInline) {
            throw invalid("a commitSpace carries exactly one of manifestBlobId and inline, got "
                    + (hasManifest ? "both" : "neither"));
        }
        if (c.inlineKeys() != null && !hasInline) {
            throw invalid("inlineKeys come only with inline");
        }
        if (c.fold() && !hasManifest) {
            throw invalid("a fold names the manifest blob that holds the folded versions: manifestBlobId is missing");
        }
        if (hasInline) {
            byte[] inline = decode("inline", c.inline(), Command.CommitSpace.MAX_INLINE_BYTES);
            if (inline.length == 0) {
                throw invalid("inline is empty: an inline version holds at least one byte");
            }
            byte[] keys = c.inlineKeys() == null ? null
                    : decode("inlineKeys", c.inlineKeys(), Command.CommitSpace.MAX_INLINE_KEY_BYTES);
            return new Inline(inline, keys);
        }
        BlobId manifest;
        try {
            manifest = BlobId.parse(c.manifestBlobId());
        } catch (IllegalArgumentException e) {
            throw invalid("manifestBlobId '" + Text.abbreviate(c.manifestBlobId()) + "' is not a blob ID: "
                    + e.getMessage());
        }
        return c.fold() ? new Fold(manifest) : new Blob(manifest);
    }

    /**
     * Standard, padded base64 of at most {@code max} bytes. The length is checked on the text before decoding, so an
     * oversized field costs no decoding.
     */
    private static byte[] decode(String field, String text, int max) throws Refusal {
        long maxChars = 4L * ((max + 2) / 3);
        if (text.length() > maxChars) {
            throw invalid(field + " is " + text.length() + " base64 characters, more than the " + max
                    + " bytes (" + maxChars + " characters) it may hold");
        }
        byte[] bytes;
        try {
            if (text.length() % 4 != 0) {
                throw new IllegalArgumentException("its length " + text.length() + " is not a multiple of 4 (padded)");
            }
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw invalid(field + " is not standard padded base64: " + e.getMessage());
        }
        if (bytes.length > max) {
            throw invalid(field + " is " + bytes.length + " bytes, more than the " + max + " it may hold");
        }
        return bytes;
    }

    private static Refusal invalid(String message) {
        return new Refusal(ErrorReason.INVALID_ARGUMENT, message);
    }
}
