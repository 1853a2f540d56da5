package io.tusk.memory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one memory client.
 *
 * @param dedup            how duplicates are merged
 * @param indexDirectory   where the recall index lives on disk between runs (bound to its space); null: a scratch
 *                         directory of this process (memory-mapped, deleted on close)
 * @param readYourWrites   longest wait of a recall for its {@code minSequence}
 * @param pollInterval     how often a waiting recall asks the space for new commits of other writers
 * @param coldStart        whether an empty local index starts from the segments published in the space
 *                         ({@link IndexSnapshots}) instead of replaying every commit
 */
public record MemoryOptions(DedupPolicy dedup, Path indexDirectory, Duration readYourWrites, Duration pollInterval,
                            boolean coldStart) {

    public static final MemoryOptions DEFAULT =
            new MemoryOptions(DedupPolicy.DEFAULT, null, Duration.ofSeconds(30), Duration.ofMillis(20), true);

    public MemoryOptions {
        Objects.requireNonNull(dedup, "dedup");
        Objects.requireNonNull(readYourWrites, "readYourWrites");
        Objects.requireNonNull(pollInterval, "pollInterval");
    }

    public MemoryOptions withDedup(DedupPolicy policy) {
        return new MemoryOptions(policy, indexDirectory, readYourWrites, pollInterval, coldStart);
    }

    public MemoryOptions withColdStart(boolean fromSnapshot) {
        return new MemoryOptions(dedup, indexDirectory, readYourWrites, pollInterval, fromSnapshot);
    }

    public MemoryOptions withIndexDirectory(Path directory) {
        return new MemoryOptions(dedup, directory, readYourWrites, pollInterval, coldStart);
    }
}
