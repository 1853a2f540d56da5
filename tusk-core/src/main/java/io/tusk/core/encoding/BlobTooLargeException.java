package io.tusk.core.encoding;

/** A blob larger than {@code p * s * 65534} bytes cannot be encoded for the committee's shard count. */
public final class BlobTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final long blobLength;
    private final long maxBlobSize;

    public BlobTooLargeException(long blobLength, long maxBlobSize, int shardCount) {
        super("blob of " + blobLength + " bytes is larger than the maximum of " + maxBlobSize + " bytes for "
                + shardCount + " shards");
        this.blobLength = blobLength;
        this.maxBlobSize = maxBlobSize;
    }

    public long blobLength() {
        return blobLength;
    }

    public long maxBlobSize() {
        return maxBlobSize;
    }
}
