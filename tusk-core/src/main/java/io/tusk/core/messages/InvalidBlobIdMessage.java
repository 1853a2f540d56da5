package io.tusk.core.messages;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.metadata.BlobId;

/**
 * A node's attestation that a blob is inconsistently encoded (intent type 2):
 * {@code 02 00 03 | epoch u32 | blob_id [u8;32]}, 39 bytes.
 */
public record InvalidBlobIdMessage(long epoch, BlobId blobId) implements ProtocolMessage {
    public InvalidBlobIdMessage {
        ProtocolMessage.checkEpoch(epoch);
        if (blobId == null) {
            throw new IllegalArgumentException("an invalid-blob-ID message needs a blob ID");
        }
    }

    @Override
    public Intent intent() {
        return Intent.of(Intent.INVALID_BLOB_ID);
    }

    @Override
    public byte[] toBcs() {
        return ProtocolMessage.header(Intent.INVALID_BLOB_ID, epoch, BlobId.LENGTH).fixedBytes(blobId.bytes())
                .toByteArray();
    }

    /** Parses strictly: the intent must be (2, 0, 3) and nothing may follow. */
    public static InvalidBlobIdMessage fromBcs(byte[] bytes) {
        BcsReader in = new BcsReader(bytes);
        long epoch = ProtocolMessage.readHeader(in, Intent.INVALID_BLOB_ID);
        BlobId blobId = BlobId.of(in.fixedBytes(BlobId.LENGTH));
        in.expectEnd();
        return new InvalidBlobIdMessage(epoch, blobId);
    }
}
