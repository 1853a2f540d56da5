package io.tusk.control.api;

import java.util.Objects;

/**
 * The head of a space (docs/spaces.md): what the control plane keeps of it. {@code version} 0 is the empty space a
 * {@code createSpace} makes, with no manifest ({@code manifestBlobId} null) and {@code commitTimeMillis} 0; each
 * {@code commitSpace} moves it one version on. {@code createdEpoch} is the epoch the space was created in.
 */
public record SpaceHead(String owner, String name, boolean encrypted, long version, String manifestBlobId,
                        long commitTimeMillis, int createdEpoch) {
    public SpaceHead {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        if ((version == 0) != (manifestBlobId == null)) {
            throw new IllegalArgumentException("a space head has a manifest exactly from version 1 on, got version "
                    + version + " with manifest " + manifestBlobId);
        }
    }
}
