package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/** The S3 buckets an account owns, by name. */
public record OwnedBuckets(String owner, List<BucketInfo> buckets) {
    public OwnedBuckets {
        Objects.requireNonNull(owner, "owner");
        buckets = List.copyOf(Objects.requireNonNull(buckets, "buckets"));
    }
}
