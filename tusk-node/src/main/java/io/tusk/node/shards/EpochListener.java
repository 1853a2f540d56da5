package io.tusk.node.shards;

/** What the event follower tells the node's epoch machinery; called on the follower's thread. */
public interface EpochListener {
    EpochListener NONE = new EpochListener() {
        @Override
        public void onEpochStart(long epoch) {
        }

        @Override
        public void onCommitteeEvent() {
        }
    };

    /** The node applied the change into {@code epoch} (its new committee view is committed): collect garbage. */
    void onEpochStart(long epoch);

    /** An epoch change, shards-synced or epoch-change-done event was applied: the shard assignment may have moved. */
    void onCommitteeEvent();
}
