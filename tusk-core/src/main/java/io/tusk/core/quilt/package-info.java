/**
 * Quilts (Walrus Quilt V1): many small items ("patches") batched into one ordinary RS2 blob, byte-identical to
 * Walrus's {@code encodeQuilt}. {@link io.tusk.core.quilt.QuiltEncoder} builds the quilt blob and its
 * {@link io.tusk.core.quilt.QuiltIndex}; {@link io.tusk.core.quilt.QuiltReader} parses the index and single patches
 * from the secondary slivers (columns) that hold them; {@link io.tusk.core.quilt.QuiltPatchId} names one patch.
 * Every failure is a {@link io.tusk.core.quilt.QuiltException} subclass.
 */
package io.tusk.core.quilt;
