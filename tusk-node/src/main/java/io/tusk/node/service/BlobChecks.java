package io.tusk.node.service;

import io.tusk.core.api.ErrorReason;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.store.NodeStore;

/**
 * What every endpoint checks before it acts: that the node knows its committee, that a sliver pair is one its shards
 * hold, that a blob is registered, and whether the node stores all of a blob. Each refusal is the Walrus error.
 */
final class BlobChecks {
    private final NodeStore store;
    private final NodeState state;

    BlobChecks(NodeStore store, NodeState state) {
        this.store = store;
        this.state = state;
    }

    /** The committee this node follows; refused (NOT_REGISTERED) until it is known. */
    CommitteeView knownView() {
        CommitteeView view = state.view();
        if (!view.isKnown()) {
            throw new NodeException(ErrorReason.NOT_REGISTERED, "the node has not learnt the committee yet");
        }
        return view;
    }

    /** Whether a live registration of {@code blobId} exists in {@code epoch}. */
    boolean isRegistered(BlobId blobId, long epoch) {
        return store.blobInfo(blobId).map(i -> i.isRegistered(epoch)).orElse(false);
    }

    static NodeException notRegistered() {
        return new NodeException(ErrorReason.NOT_REGISTERED, "the blob has not been registered or has already expired");
    }

    /** Checks the pair index against {@code n} and that this node holds the pair's shard; returns the shard. */
    int pair(BlobId blobId, int pairIndex, CommitteeView view) {
        int n = view.shardCount();
        if (pairIndex < 0 || pairIndex >= n) {
            throw new NodeException(ErrorReason.INDEX_OUT_OF_RANGE, "requires 0 <= index (" + pairIndex + ") < " + n);
        }
        int shard = blobId.shardForPair(pairIndex, n);
        if (!view.owns(shard)) {
            throw new NodeException(ErrorReason.SHARD_NOT_ASSIGNED, "shard " + shard + " is not assigned to this node in epoch "
                    + view.epoch());
        }
        return shard;
    }

    /** Like {@link #pair}, but a shard lost at the last epoch change stays readable until its new owner synced. */
    int readablePair(BlobId blobId, int pairIndex, CommitteeView view) {
        int n = view.shardCount();
        if (pairIndex >= 0 && pairIndex < n && state.retainedShards().contains(blobId.shardForPair(pairIndex, n))) {
            return blobId.shardForPair(pairIndex, n);
        }
        return pair(blobId, pairIndex, view);
    }

    /** Metadata and both slivers of every shard the node holds in the current epoch. */
    boolean storesAllSlivers(BlobId blobId, CommitteeView view) {
        if (!store.hasMetadata(blobId)) {
            return false;
        }
        for (int shard : view.ownedShards()) {
            if (!store.hasSliver(shard, SliverType.PRIMARY, blobId)
                    || !store.hasSliver(shard, SliverType.SECONDARY, blobId)) {
                return false;
            }
        }
        return true;
    }
}
