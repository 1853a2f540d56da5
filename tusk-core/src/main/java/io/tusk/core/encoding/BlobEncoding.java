package io.tusk.core.encoding;

import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;

/**
 * A blob's RS2 encoding: its verified-by-construction metadata and its {@code n} sliver pairs, either all in memory
 * ({@link EncodedBlob}) or read on demand from the blob's source and a {@link SliverStorage} ({@link
 * BlobEncoder#encode(BlobSource, SliverStorage)}), so that a store holds only the slivers it is sending.
 */
public interface BlobEncoding extends AutoCloseable {
    BlobMetadataWithId metadata();

    default BlobId blobId() {
        return metadata().blobId();
    }

    int shardCount();

    /**
     * The sliver of this type in pair {@code pairIndex} (primary sliver {@code q}, secondary {@code n-1-q}). Unless
     * {@link #inMemory()}, each call reads it into a new array: callers bound how many they hold at once.
     */
    Sliver sliver(int pairIndex, SliverType type);

    /** Bytes of one sliver of this type (all slivers of a type have the same size). */
    int sliverBytes(SliverType type);

    /** Whether every sliver is already in memory, so that {@link #sliver} allocates nothing. */
    boolean inMemory();

    /** Releases the storage of the slivers (not the source); slivers already returned stay valid. */
    @Override
    void close();
}
