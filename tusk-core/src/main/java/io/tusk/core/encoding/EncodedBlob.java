package io.tusk.core.encoding;

import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;

import java.util.List;

/** The result of encoding a blob: its metadata (with ID) and its {@code n} sliver pairs, indexed by pair. */
public record EncodedBlob(BlobMetadataWithId metadata, List<SliverPair> pairs) {
    public EncodedBlob {
        pairs = List.copyOf(pairs);
    }

    public BlobId blobId() {
        return metadata.blobId();
    }
}
