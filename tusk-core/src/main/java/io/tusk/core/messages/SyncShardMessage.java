package io.tusk.core.messages;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;

/**
 * Walrus's {@code SyncShardMsg} (intent type 3): {@code 03 00 03 | epoch u32 | SyncShardRequest}, where
 * {@code SyncShardRequest = enum 0 V1 { shard_index u16, sliver_type u8-tag (0 primary, 1 secondary),
 * starting_blob_id [u8;32], sliver_count u64, epoch u32 }} (walrus-node-api.md §1, §2.13). The new owner of a shard
 * signs it with its BLS key and sends it to the previous owner; both epochs are the new (current) epoch.
 */
public record SyncShardMessage(long epoch, int shardIndex, SliverType sliverType, BlobId startingBlobId,
                               long sliverCount) implements ProtocolMessage {
    /** 3 intent + 4 epoch + 1 tag + 2 shard + 1 type + 32 blob ID + 8 count + 4 epoch. */
    public static final int LENGTH = 55;

    public SyncShardMessage {
        ProtocolMessage.checkEpoch(epoch);
        if (shardIndex < 0 || shardIndex > 0xFFFF) {
            throw new IllegalArgumentException("shard index must be a u16, got " + shardIndex);
        }
        if (sliverType == null || startingBlobId == null) {
            throw new IllegalArgumentException("a sync shard request needs a sliver type and a starting blob ID");
        }
        if (sliverCount < 0) {
            throw new IllegalArgumentException("sliver count must not be negative, got " + sliverCount);
        }
    }

    @Override
    public Intent intent() {
        return Intent.of(Intent.SYNC_SHARD);
    }

    @Override
    public byte[] toBcs() {
        return ProtocolMessage.header(Intent.SYNC_SHARD, epoch, LENGTH - Intent.LENGTH - Integer.BYTES)
                .u8(0) // SyncShardRequest::V1
                .u16(shardIndex)
                .u8(sliverType.tag())
                .fixedBytes(startingBlobId.bytes())
                .u64(sliverCount)
                .u32(epoch)
                .toByteArray();
    }

    /** Parses strictly; the request's own epoch must equal the message epoch. */
    public static SyncShardMessage fromBcs(byte[] bytes) {
        BcsReader in = new BcsReader(bytes);
        long epoch = ProtocolMessage.readHeader(in, Intent.SYNC_SHARD);
        in.enumTag(1, "SyncShardRequest");
        int shard = in.u16();
        SliverType type = SliverType.fromTag(in.enumTag(2, "SliverType"));
        BlobId start = BlobId.of(in.fixedBytes(BlobId.LENGTH));
        long count = in.u64();
        long innerEpoch = in.u32();
        in.expectEnd();
        if (innerEpoch != epoch) {
            throw new io.tusk.core.bcs.BcsException("sync shard request epoch " + innerEpoch
                    + " differs from the message epoch " + epoch, LENGTH - 4);
        }
        return new SyncShardMessage(epoch, shard, type, start, count);
    }
}
