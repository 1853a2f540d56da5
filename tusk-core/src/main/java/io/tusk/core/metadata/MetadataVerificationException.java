package io.tusk.core.metadata;

/** Metadata that does not match its blob ID, the committee, or the limits. */
public final class MetadataVerificationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MetadataVerificationException(BlobId blobId, String problem) {
        super("metadata of blob " + blobId + " " + problem);
    }
}
