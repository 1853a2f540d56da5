package io.tusk.client;

import java.util.List;

/**
 * The outcome of {@link TuskClient#storeStream}: {@code result} is the store result of the blob that names the file
 * (the manifest blob for a chunked file, else the file's own blob); {@code chunks} the result of each chunk in order
 * (empty when the file fit in one blob). A chunk answered {@link StoreResult.AlreadyCertified} was not sent again.
 */
public record LargeStoreResult(StoreResult result, long length, long chunkSize, List<StoreResult> chunks) {
    public LargeStoreResult {
        chunks = List.copyOf(chunks);
    }

    /** The ID to read the file back with: the manifest's blob ID, or the blob's for a one-blob file. */
    public String blobId() {
        return result.blobId();
    }

    public boolean chunked() {
        return !chunks.isEmpty();
    }

    /** Chunks that were already certified and so were not uploaded again (a resumed store). */
    public long chunksSkipped() {
        return chunks.stream().filter(StoreResult.AlreadyCertified.class::isInstance).count();
    }
}
