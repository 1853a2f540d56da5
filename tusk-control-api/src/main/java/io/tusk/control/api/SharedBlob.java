package io.tusk.control.api;

import java.util.Objects;

/**
 * A shared blob object (Walrus's {@code SharedBlob}): a blob object wrapped so that anyone can fund it and extend it
 * from its {@code funds}. {@code id} is the shared object's ID, {@code blob} the wrapped blob object as it is now.
 */
public record SharedBlob(String id, BlobObject blob, long funds) {
    public SharedBlob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(blob, "blob");
    }
}
