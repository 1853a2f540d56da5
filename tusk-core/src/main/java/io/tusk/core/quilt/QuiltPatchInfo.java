package io.tusk.core.quilt;

import io.tusk.core.metadata.BlobId;

import java.util.Map;

/**
 * One entry of a {@link QuiltIndex}: a patch's identifier, tags and the columns it occupies,
 * {@code [startIndex, endIndex)}; column j of the quilt is secondary sliver j (pair {@code n - 1 - j}).
 */
public record QuiltPatchInfo(String identifier, Map<String, String> tags, int startIndex, int endIndex) {
    public QuiltPatchInfo {
        QuiltIdentifiers.validate(identifier);
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
