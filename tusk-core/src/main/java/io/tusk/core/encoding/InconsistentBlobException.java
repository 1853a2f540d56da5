package io.tusk.core.encoding;

import io.tusk.core.metadata.BlobId;

/** The slivers of a blob decode to data that does not match its blob ID: the writer encoded it inconsistently. */
public final class InconsistentBlobException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient BlobId blobId;

    public InconsistentBlobException(BlobId blobId, String detail) {
        super("blob " + blobId + " is inconsistently encoded: " + detail);
        this.blobId = blobId;
    }

    public BlobId blobId() {
        return blobId;
    }
}
