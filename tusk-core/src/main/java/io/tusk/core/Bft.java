package io.tusk.core;

/**
 * Byzantine fault tolerance sizes for a committee of {@code n} shards: up to {@code f = floor((n-1)/3)} shards may be
 * faulty, a quorum is more than {@code 2f} shards and a validity set (at least one correct shard) is more than
 * {@code f}. Weights are counted in shards, as Walrus does.
 */
public final class Bft {
    private Bft() {}

    /** The most shards that may be faulty: {@code f = floor((n-1)/3)}. */
    public static int maxFaulty(int shardCount) {
        requirePositive(shardCount);
        return (shardCount - 1) / 3;
    }

    /** The fewest shards that are correct: {@code n - f}. */
    public static int minCorrect(int shardCount) {
        return shardCount - maxFaulty(shardCount);
    }

    /** The smallest quorum weight, {@code 2f + 1}. */
    public static int quorumThreshold(int shardCount) {
        return 2 * maxFaulty(shardCount) + 1;
    }

    /** The smallest validity weight, {@code f + 1}: any such set holds at least one correct shard. */
    public static int validityThreshold(int shardCount) {
        return maxFaulty(shardCount) + 1;
    }

    /** True if {@code weight} shards form a quorum (more than {@code 2f}). */
    public static boolean isQuorum(int weight, int shardCount) {
        return weight >= quorumThreshold(shardCount);
    }

    /** True if {@code weight} shards include at least one correct shard (more than {@code f}). */
    public static boolean isValidity(int weight, int shardCount) {
        return weight >= validityThreshold(shardCount);
    }

    private static void requirePositive(int shardCount) {
        if (shardCount < 1) {
            throw new IllegalArgumentException("shard count must be positive, got " + shardCount);
        }
    }
}
