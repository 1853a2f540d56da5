package io.tusk.spaces.store;

import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.QuiltPatchId;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a space's stored bytes are read from. The SDK's source ({@link ClientBlobSource}) verifies every byte against
 * its blob ID as it reads from the storage nodes; a gateway ({@link AggregatorBlobSource}) is trusted for nothing, and
 * {@code verify} re-derives the blob ID of everything it reads through one.
 */
public interface BlobSource {
    /**
     * A whole blob.
     *
     * @throws io.tusk.spaces.SpaceException (or the SDK's BlobNotFoundException) if it cannot be had
     */
    byte[] blob(BlobId blobId);

    /** The data of one quilt patch. */
    byte[] patch(QuiltPatchId patchId);

    /** A blob, or the chunked file a large-file manifest blob names, streamed to {@code out}. */
    void stream(BlobId blobId, OutputStream out) throws IOException;

    /** Bytes {@code [start, start + length)} of a blob or chunked file. */
    void range(BlobId blobId, long start, long length, OutputStream out) throws IOException;

    /** Whether this source already checks bytes against blob IDs (so re-deriving them proves nothing more). */
    boolean verifies();
}
