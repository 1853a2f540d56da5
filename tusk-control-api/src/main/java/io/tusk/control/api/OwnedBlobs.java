package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/** The blob objects an account owns (not deleted; expired ones included, their end epoch tells). */
public record OwnedBlobs(String owner, List<BlobObject> blobs) {
    public OwnedBlobs {
        Objects.requireNonNull(owner, "owner");
        blobs = List.copyOf(Objects.requireNonNull(blobs, "blobs"));
    }
}
