package io.tusk.core.messages;

import io.tusk.core.bcs.BcsReader;

/**
 * Tusk's shards-synced report (intent type 6): {@code 06 00 03 | epoch u32 | node ID [u8;32]}, 39 bytes, signed by
 * the node's BLS key. It replaces Walrus's {@code epoch_sync_done} call: the node holds every shard it was assigned
 * in {@code epoch}.
 */
public record ShardsSyncedMessage(long epoch, ObjectId nodeId) implements ProtocolMessage {
    public static final int LENGTH = Intent.LENGTH + Integer.BYTES + ObjectId.LENGTH;

    public ShardsSyncedMessage {
        ProtocolMessage.checkEpoch(epoch);
        if (nodeId == null) {
            throw new IllegalArgumentException("a shards-synced report needs a node ID");
        }
    }

    @Override
    public Intent intent() {
        return Intent.of(Intent.SHARDS_SYNCED);
    }

    @Override
    public byte[] toBcs() {
        return ProtocolMessage.header(Intent.SHARDS_SYNCED, epoch, ObjectId.LENGTH).fixedBytes(nodeId.bytes())
                .toByteArray();
    }

    public static ShardsSyncedMessage fromBcs(byte[] bytes) {
        BcsReader in = new BcsReader(bytes);
        long epoch = ProtocolMessage.readHeader(in, Intent.SHARDS_SYNCED);
        ObjectId nodeId = new ObjectId(in.fixedBytes(ObjectId.LENGTH));
        in.expectEnd();
        return new ShardsSyncedMessage(epoch, nodeId);
    }
}
