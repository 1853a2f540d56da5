package io.tusk.core.metadata;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.encoding.EncodingConfig;

/**
 * A blob ID and the metadata it commits to; BCS: the 32 ID bytes, then {@link BlobMetadata}. This is what storage
 * nodes serve from {@code GET /v1/blobs/{id}/metadata}. Call {@link #verify} before trusting anything in it.
 */
public record BlobMetadataWithId(BlobId blobId, BlobMetadata metadata) {

    /**
     * Checks what Walrus checks: {@code n} pairs for {@code n} shards, a length within the largest blob, and the ID
     * recomputed from the hashes equals {@link #blobId()}.
     *
     * @throws MetadataVerificationException naming what failed
     */
    public BlobMetadataWithId verify(EncodingConfig config) {
        int n = config.shardCount();
        if (metadata.shardCount() != n) {
            throw new MetadataVerificationException(blobId, "has " + metadata.shardCount() + " sliver pairs, the committee has "
                    + n + " shards");
        }
        if (metadata.unencodedLength() > config.maxBlobSize()) {
            throw new MetadataVerificationException(blobId, "claims " + metadata.unencodedLength()
                    + " bytes, more than the maximum of " + config.maxBlobSize() + " for " + n + " shards");
        }
        BlobId computed = metadata.computeBlobId();
        if (!computed.equals(blobId)) {
            throw new MetadataVerificationException(blobId, "hashes to blob ID " + computed);
        }
        return this;
    }

    public byte[] toBcs() {
        BcsWriter w = new BcsWriter();
        w.fixedBytes(blobId.bytes());
        metadata.writeBcs(w);
        return w.toByteArray();
    }

    public static BlobMetadataWithId fromBcs(byte[] bcs) {
        BcsReader r = new BcsReader(bcs);
        BlobId id = BlobId.of(r.fixedBytes(BlobId.LENGTH));
        BlobMetadata metadata = BlobMetadata.readBcs(r);
        r.expectEnd();
        return new BlobMetadataWithId(id, metadata);
    }
}
