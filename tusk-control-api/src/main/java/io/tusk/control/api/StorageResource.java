package io.tusk.control.api;

import java.util.Objects;

/** Walrus's {@code Storage} resource: {@code storageSize} bytes from {@code startEpoch} (inclusive) to {@code endEpoch} (exclusive). */
public record StorageResource(String id, int startEpoch, int endEpoch, long storageSize) {
    public StorageResource {
        Objects.requireNonNull(id, "id");
    }
}
