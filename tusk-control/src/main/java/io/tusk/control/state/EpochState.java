package io.tusk.control.state;

import java.util.List;

/**
 * The epoch and the change into it: when it started, whether members holding a quorum of shards reported their
 * shards synced ({@code changeDone}), and which did, by node ID (sorted). The committees themselves are kept per
 * epoch ({@link Committees}).
 */
record EpochState(int epoch, long startMillis, boolean changeDone, List<String> syncedNodes) {
    EpochState {
        syncedNodes = List.copyOf(syncedNodes);
    }
}
