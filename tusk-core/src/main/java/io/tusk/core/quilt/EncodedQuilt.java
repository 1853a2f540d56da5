package io.tusk.core.quilt;

import io.tusk.core.metadata.BlobId;

import java.util.List;

/**
 * A quilt built by {@link QuiltEncoder}: the quilt blob (exactly {@code p·s·symbolSize} bytes, to be stored as an
 * ordinary RS2 blob whose blob ID is the quilt ID) and its index, which gives each patch's column range.
 */
public record EncodedQuilt(byte[] blob, int symbolSize, QuiltIndex index) {
    /** The patches' IDs once the quilt blob's ID is known, in index order. */
    public List<QuiltPatchId> patchIds(BlobId quiltId) {
        return index.patches().stream().map(p -> p.patchId(quiltId)).toList();
    }
}
