package io.tusk.node.store;

import io.tusk.core.metadata.BlobId;

/**
 * Told by the {@link NodeStore} when it dropped data that failed RocksDB's checksums, so that recovery rebuilds it from
 * the other nodes. Called on the thread that found the corruption (a request, recovery, the event follower): an
 * implementation hands the work off and returns.
 */
public interface CorruptionListener {
    CorruptionListener NONE = new CorruptionListener() {
        @Override
        public void blobDataDropped(BlobId blobId) {
        }

        @Override
        public void familyRecreated(String family) {
        }
    };

    /** A sliver or the metadata of {@code blobId} was corrupt and has been deleted. */
    void blobDataDropped(BlobId blobId);

    /**
     * Column family {@code family} (a sliver family or the metadata) had a corrupt SST file and was dropped and created
     * empty: every certified blob may now lack data there.
     */
    void familyRecreated(String family);
}
