package io.tusk.client;

import java.util.List;

/**
 * The outcome of {@link TuskClient#storeQuilt}, shaped like Walrus's {@code QuiltStoreResult}: the store result of
 * the quilt blob (whose blob ID is the quilt ID) and, per patch in quilt order, its identifier and patch ID
 * ({@code storedQuiltBlobs}).
 */
public record QuiltStoreResult(StoreResult blobStoreResult, List<StoredQuiltPatch> storedQuiltBlobs) {
    public QuiltStoreResult {
        storedQuiltBlobs = List.copyOf(storedQuiltBlobs);
    }

    /** The quilt ID (the quilt blob's ID). */
    public String quiltId() {
        return blobStoreResult.blobId();
    }
}
