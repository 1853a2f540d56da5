package io.tusk.control.api;

import java.util.Objects;

/**
 * A blob object in the JSON shape of Walrus's {@code blobObject}: object ID, registration epoch, blob ID (base64url),
 * unencoded size, encoding type ({@code "RS2"}), certified epoch ({@code null} until certified), storage resource and
 * whether it is deletable.
 */
public record BlobObject(String id, int registeredEpoch, String blobId, long size, String encodingType,
                         Integer certifiedEpoch, StorageResource storage, boolean deletable) {
    public BlobObject {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(blobId, "blobId");
        Objects.requireNonNull(encodingType, "encodingType");
        Objects.requireNonNull(storage, "storage");
    }
}
