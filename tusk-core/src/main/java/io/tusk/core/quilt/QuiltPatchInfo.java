package io.tusk.core.quilt;

import io.tusk.core.metadata.BlobId;

import java.util.Map;

/**
 * One entry of a {@link QuiltIndex}: a patch's identifier, tags and the columns it occupies,
 * {@code [startIndex, endIndex)}; column j of the quilt is secondary sliver j (pair {@code n - 1 - j}).
 * The identifier is only required to be non-empty here: the encoder has validated the identifiers it writes, and
 * indexes read from quilts that other encoders wrote (the TypeScript SDK checks no identifier rule but the length)
 * stay readable.
 */
public record QuiltPatchInfo(String identifier, Map<String, String> tags, int startIndex, int endIndex) {
    public QuiltPatchInfo {
        if (identifier == null || identifier.isEmpty()) {
            throw new MalformedQuiltException("a quilt patch has an empty identifier");
        }
        tags = QuiltTags.canonical(tags);
        if (startIndex < 0 || endIndex <= startIndex || endIndex > 0xFFFF) {
            throw new MalformedQuiltException("patch '" + QuiltIdentifiers.printable(identifier)
                    + "' has an invalid column range [" + startIndex + ", " + endIndex + ")");
        }
    }

    /** This patch's ID in the quilt {@code quiltId}. */
    public QuiltPatchId patchId(BlobId quiltId) {
        return new QuiltPatchId(quiltId, startIndex, endIndex);
    }

    /** The number of columns (secondary slivers) the patch spans. */
    public int columnCount() {
        return endIndex - startIndex;
    }
}
