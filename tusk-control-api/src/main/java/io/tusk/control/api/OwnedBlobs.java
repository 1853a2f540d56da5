package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/**
 * {@code GET /v1/accounts/{address}/blobs}: a page of the live blob objects the account owns, in object-ID order;
 * {@code next} is the object ID to ask after ({@code ?after=next}) for the following page, null on the last one.
 */
public record OwnedBlobs(String owner, List<BlobObject> blobs, String next) {
    public OwnedBlobs {
        Objects.requireNonNull(owner, "owner");
        blobs = List.copyOf(Objects.requireNonNull(blobs, "blobs"));
    }

    /** A last (or only) page. */
    public OwnedBlobs(String owner, List<BlobObject> blobs) {
        this(owner, blobs, null);
    }
}
