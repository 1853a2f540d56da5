package io.tusk.node.admin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a node keeps its database checkpoints, how often it takes one by itself, and how many it keeps.
 *
 * @param directory where checkpoints go (each a folder named {@code checkpoint-<UTC time>})
 * @param interval  time between periodic checkpoints; zero for none (checkpoints are then taken on request only)
 * @param retention how many checkpoints are kept: after each new one the oldest beyond this count are deleted
 */
public record CheckpointConfig(Path directory, Duration interval, int retention) {
    public static final int DEFAULT_RETENTION = 3;

    public CheckpointConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("checkpoint interval must not be negative, got " + interval);
        }
        if (!interval.isZero() && interval.toMillis() < 1000) {
            throw new IllegalArgumentException("checkpoint interval must be 0 (none) or at least 1000 ms, got "
                    + interval.toMillis() + " ms");
        }
        if (retention < 1) {
            throw new IllegalArgumentException("checkpoint retention must be at least 1, got " + retention);
        }
    }

    /** No periodic checkpoints, {@value #DEFAULT_RETENTION} kept, next to the node's data directory. */
    public static CheckpointConfig defaultsFor(Path dataDir) {
        return new CheckpointConfig(defaultDirectory(dataDir), Duration.ZERO, DEFAULT_RETENTION);
    }

    /** {@code <dataDir>-checkpoints} beside the data directory: on the same file system, so files are hard-linked. */
    public static Path defaultDirectory(Path dataDir) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + "-checkpoints");
    }

    public boolean periodic() {
        return !interval.isZero();
    }
}
