package io.tusk.client;

import io.tusk.core.quilt.QuiltPatchId;

/**
 * One patch of a stored quilt (Walrus {@code StoredQuiltPatch}): its identifier, its patch ID and its column range
 * {@code [startIndex, endIndex)} (Walrus's optional {@code range}, as JSON {@code [start, end]}).
 */
public record StoredQuiltPatch(String identifier, QuiltPatchId quiltPatchId) {
    public int startIndex() {
        return quiltPatchId.startIndex();
    }

    public int endIndex() {
        return quiltPatchId.endIndex();
    }
}
