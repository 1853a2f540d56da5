package io.tusk.spaces;

import io.tusk.spaces.crypto.OwnerKey;

/**
 * How a {@link Spaces} client stores and reads.
 *
 * @param epochs              epochs each blob a commit stores lives at first (renewal extends them)
 * @param smallEntryMaxBytes  entries up to this size go into the commit's quilt; larger ones are their own (chunked)
 *                            blobs
 * @param packMaxBytes        most bytes of small entries one commit packs; the rest are stored as their own blobs
 * @param maxCommitAttempts   how often {@link Space#commit} re-applies its changes after losing a race
 * @param nodeCacheBytes      decoded tree nodes and pack patches kept in memory (they never change)
 * @param ownerKey            the key that wraps encrypted spaces' keys; null to derive it from the account key
 */
public record SpacesOptions(int epochs, long smallEntryMaxBytes, long packMaxBytes, int maxCommitAttempts,
                            long nodeCacheBytes, OwnerKey ownerKey) {
    public SpacesOptions {
        if (epochs < 1 || smallEntryMaxBytes < 0 || packMaxBytes < 1 || maxCommitAttempts < 1 || nodeCacheBytes < 0) {
            throw new IllegalArgumentException("bad spaces options: epochs " + epochs + ", smallEntryMaxBytes "
                    + smallEntryMaxBytes + ", packMaxBytes " + packMaxBytes + ", maxCommitAttempts " + maxCommitAttempts
                    + ", nodeCacheBytes " + nodeCacheBytes);
        }
    }

    public static SpacesOptions defaults() {
        return new SpacesOptions(5, 1L << 20, 64L << 20, 16, 64L << 20, null);
    }

    public SpacesOptions withEpochs(int value) {
        return new SpacesOptions(value, smallEntryMaxBytes, packMaxBytes, maxCommitAttempts, nodeCacheBytes, ownerKey);
    }

    public SpacesOptions withSmallEntryMaxBytes(long value) {
        return new SpacesOptions(epochs, value, packMaxBytes, maxCommitAttempts, nodeCacheBytes, ownerKey);
    }

    public SpacesOptions withPackMaxBytes(long value) {
        return new SpacesOptions(epochs, smallEntryMaxBytes, value, maxCommitAttempts, nodeCacheBytes, ownerKey);
    }

    public SpacesOptions withMaxCommitAttempts(int value) {
        return new SpacesOptions(epochs, smallEntryMaxBytes, packMaxBytes, value, nodeCacheBytes, ownerKey);
    }

    public SpacesOptions withNodeCacheBytes(long value) {
        return new SpacesOptions(epochs, smallEntryMaxBytes, packMaxBytes, maxCommitAttempts, value, ownerKey);
    }

    public SpacesOptions withOwnerKey(OwnerKey value) {
        return new SpacesOptions(epochs, smallEntryMaxBytes, packMaxBytes, maxCommitAttempts, nodeCacheBytes, value);
    }
}
