package io.tusk.core.encoding;

import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;

import java.util.List;

/** The result of encoding a blob in memory: its metadata (with ID) and its {@code n} sliver pairs, indexed by pair. */
public record EncodedBlob(BlobMetadataWithId metadata, List<SliverPair> pairs) implements BlobEncoding {
    public EncodedBlob {
        pairs = List.copyOf(pairs);
    }

    @Override
    public BlobId blobId() {
        return metadata.blobId();
    }

    @Override
    public int shardCount() {
        return pairs.size();
    }

    @Override
    public Sliver sliver(int pairIndex, SliverType type) {
        return pairs.get(pairIndex).sliver(type);
    }

    @Override
    public int sliverBytes(SliverType type) {
        return pairs.getFirst().sliver(type).length();
    }

    @Override
    public boolean inMemory() {
        return true;
    }

    @Override
    public void close() {
        // nothing beyond the heap
    }
}
