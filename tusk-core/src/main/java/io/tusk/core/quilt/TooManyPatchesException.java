package io.tusk.core.quilt;

/** A quilt holds at most {@code s - 1} patches: every patch needs a column of its own and the index needs one. */
public final class TooManyPatchesException extends QuiltException {
    private final int patchCount;
    private final int maxPatches;

    public TooManyPatchesException(int patchCount, int maxPatches, int shardCount) {
        super("a quilt for " + shardCount + " shards holds at most " + maxPatches + " patches, got " + patchCount);
        this.patchCount = patchCount;
        this.maxPatches = maxPatches;
    }

    public int patchCount() {
        return patchCount;
    }

    public int maxPatches() {
        return maxPatches;
    }
}
