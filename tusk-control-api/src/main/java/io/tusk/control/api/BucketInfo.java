package io.tusk.control.api;

import java.util.Objects;

/**
 * An S3 bucket name claimed in the network (docs/s3.md): its owner, the client's clock when it was created (S3's
 * CreationDate) and the epoch it was created in. The bucket's objects are in the owner's space named {@code name}.
 */
public record BucketInfo(String name, String owner, long createdMillis, int createdEpoch) {
    public BucketInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
    }
}
