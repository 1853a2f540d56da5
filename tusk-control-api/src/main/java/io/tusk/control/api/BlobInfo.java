package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/** Everything the control plane knows of a blob ID: its aggregate status and its live objects. */
public record BlobInfo(String blobId, BlobStatus status, List<BlobObject> objects) {
    public BlobInfo {
        Objects.requireNonNull(blobId, "blobId");
        Objects.requireNonNull(status, "status");
        objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
    }
}
