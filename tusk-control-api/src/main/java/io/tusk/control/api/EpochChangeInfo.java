package io.tusk.control.api;

import java.util.List;

/**
 * The change into the current epoch ({@code GET /v1/epoch/change}): {@code state} as in {@link EpochInfo}, the
 * members that reported their shards synced (by node ID; members that gained no shard count at once), the shards
 * they hold, and the quorum ({@code 2f+1}) of {@code shardCount} that completes the change.
 */
public record EpochChangeInfo(int epoch, String state, List<String> syncedNodes, int syncedShards, int shardCount,
                              int quorumShards) {
    public EpochChangeInfo {
        syncedNodes = List.copyOf(syncedNodes);
    }
}
