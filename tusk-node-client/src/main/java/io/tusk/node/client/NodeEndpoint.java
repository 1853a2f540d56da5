package io.tusk.node.client;

/** The storage-node endpoints a {@link StorageNodeClient} calls, for traffic accounting ({@link ReceivedBytes}). */
public enum NodeEndpoint {
    STORE_METADATA, METADATA, STORE_SLIVER, SLIVER, SLIVERS, CONFIRMATION, RECOVERY_SYMBOLS, INCONSISTENCY_PROOF,
    SYNC_SHARD, HEALTH
}
