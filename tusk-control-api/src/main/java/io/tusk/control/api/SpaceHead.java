package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/**
 * The head of a space (docs/spaces.md): what the control plane keeps of it. {@code version} 0 is the empty space a
 * {@code createSpace} makes, with no manifest and {@code commitTimeMillis} 0; each {@code commitSpace} moves it one
 * version on. {@code createdEpoch} is the epoch the space was created in.
 *
 * <p>Versions {@code manifestVersion + 1 .. version} are <em>inline</em> (docs/spaces.md, "Inline versions"): small
 * commits the control plane holds itself until the owner folds them into a manifest blob. {@code manifestBlobId} is
 * the manifest of version {@code manifestVersion} (null while it is 0). {@code inline} holds the inline versions the
 * query asked for ({@code ?inlineAfter=V}: those after V, oldest first); empty otherwise.
 */
public record SpaceHead(String owner, String name, boolean encrypted, long version, String manifestBlobId,
                        long commitTimeMillis, int createdEpoch, long manifestVersion, List<InlineVersion> inline) {
    public SpaceHead {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        inline = inline == null ? List.of() : List.copyOf(inline);
        if ((manifestVersion == 0) != (manifestBlobId == null)) {
            throw new IllegalArgumentException("a space head has a manifest exactly from manifest version 1 on, got "
                    + manifestVersion + " with manifest " + manifestBlobId);
        }
        if (manifestVersion < 0 || manifestVersion > version) {
            throw new IllegalArgumentException("manifest version " + manifestVersion + " is outside 0.." + version);
        }
    }

    /** A head with no inline versions. */
    public SpaceHead(String owner, String name, boolean encrypted, long version, String manifestBlobId,
                     long commitTimeMillis, int createdEpoch) {
        this(owner, name, encrypted, version, manifestBlobId, commitTimeMillis, createdEpoch, version, List.of());
    }

    /** Inline versions the control plane holds: {@code version - manifestVersion}. */
    public long inlineCount() {
        return version - manifestVersion;
    }

    /**
     * One inline version as the owner committed it: {@code inline} is base64 of its bytes (an {@code InlineVersion} of
     * docs/spaces.md), {@code inlineKeys} base64 of its sealed data keys (encrypted spaces; null otherwise).
     */
    public record InlineVersion(long version, long commitTimeMillis, String inline, String inlineKeys) {
        public InlineVersion {
            Objects.requireNonNull(inline, "inline");
        }
    }
}
