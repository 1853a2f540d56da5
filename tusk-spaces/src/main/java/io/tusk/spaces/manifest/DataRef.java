package io.tusk.spaces.manifest;

import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.tree.Location;

import java.util.Objects;

/**
 * Where an entry's stored bytes are. In BCS:
 * <pre>
 * enum DataRef {
 *     Empty,                                        // no bytes (a zero-length entry in a plaintext space)
 *     Packed(Location),                             // a slice of a patch of a commit's pack quilt
 *     Blob { blob_id: [u8; 32], stored_length: u64 } // its own blob: a plain blob or a chunked file's manifest
 * }
 * </pre>
 * {@link Pending} stands for bytes going into the pack of the commit being built; it is written as {@code Packed}.
 */
public sealed interface DataRef {
    /** Bytes stored (after encryption). */
    long storedLength();

    record Empty() implements DataRef {
        @Override
        public long storedLength() {
            return 0;
        }
    }

    record Packed(Location location) implements DataRef {
        public Packed {
            Objects.requireNonNull(location, "location");
        }

        @Override
        public long storedLength() {
            return location.length();
        }
    }

    record Blob(BlobId blobId, long storedLength) implements DataRef {
        public Blob {
            Objects.requireNonNull(blobId, "blobId");
            if (storedLength < 0) {
                throw new IllegalArgumentException("stored length must not be negative, got " + storedLength);
            }
        }
    }

    /**
     * Bytes going into the pack being built, or held by an inline version (docs/spaces.md, "Inline versions"); the
     * packer places each object once, by identity.
     */
    final class Pending implements DataRef {
        private final byte[] stored;

        public Pending(byte[] stored) {
            this.stored = stored;
        }

        /** The stored bytes (not copied: owned by the commit being built). */
        public byte[] bytes() {
            return stored;
        }

        @Override
        public long storedLength() {
            return stored.length;
        }

        /** Equal bytes are equal data (the packer keys placements by identity, not by this). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Pending p && java.util.Arrays.equals(stored, p.stored);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(stored);
        }

        @Override
        public String toString() {
            return "Pending[" + stored.length + " bytes]";
        }
    }
}
