package io.tusk.core.messages;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.metadata.BlobId;

/**
 * A node's confirmation that it stores every sliver its shards hold for a blob, in an epoch (intent type 1):
 * {@code 01 00 03 | epoch u32 | blob_id [u8;32] | 00} for a permanent blob (40 bytes) or
 * {@code ... | 01 | object_id [u8;32]} for a deletable one (72 bytes).
 */
public record StorageConfirmation(long epoch, BlobId blobId, BlobPersistence persistence) implements ProtocolMessage {
    public StorageConfirmation {
        ProtocolMessage.checkEpoch(epoch);
        if (blobId == null || persistence == null) {
            throw new IllegalArgumentException("a storage confirmation needs a blob ID and a persistence");
        }
    }

    @Override
    public Intent intent() {
        return Intent.of(Intent.STORAGE_CONFIRMATION);
    }

    @Override
    public byte[] toBcs() {
        BcsWriter out = ProtocolMessage.header(Intent.STORAGE_CONFIRMATION, epoch, BlobId.LENGTH + 1 + ObjectId.LENGTH);
        out.fixedBytes(blobId.bytes());
        switch (persistence) {
            case BlobPersistence.Permanent p -> out.uleb128(0);
            case BlobPersistence.Deletable d -> out.uleb128(1).fixedBytes(d.objectId().bytes());
        }
        return out.toByteArray();
    }

    /** Parses strictly: the intent must be (1, 0, 3) and nothing may follow. */
    public static StorageConfirmation fromBcs(byte[] bytes) {
        BcsReader in = new BcsReader(bytes);
        long epoch = ProtocolMessage.readHeader(in, Intent.STORAGE_CONFIRMATION);
        BlobId blobId = BlobId.of(in.fixedBytes(BlobId.LENGTH));
        BlobPersistence persistence = switch (in.enumTag(2, "BlobPersistenceType")) {
            case 0 -> BlobPersistence.PERMANENT;
            default -> new BlobPersistence.Deletable(new ObjectId(in.fixedBytes(ObjectId.LENGTH)));
        };
        in.expectEnd();
        return new StorageConfirmation(epoch, blobId, persistence);
    }
}
