package io.tusk.control.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Usable space on the disk of a replica's log, read at most every 250 ms (a statfs per command would cost more than
 * the check is worth). Below the floor the replica refuses commands instead of letting the log write fail.
 */
final class DiskSpace {
    private static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Path directory;
    private final long minFreeBytes;
    private volatile long usable = Long.MAX_VALUE;
    private volatile long readAt = Long.MIN_VALUE;

    DiskSpace(Path directory, long minFreeBytes) {
        this.directory = directory;
        this.minFreeBytes = minFreeBytes;
    }

    /** Whether less than the floor is usable. */
    boolean low() {
        return minFreeBytes > 0 && usableBytes() < minFreeBytes;
    }

    long usableBytes() {
        long now = System.nanoTime();
        if (readAt == Long.MIN_VALUE || now - readAt > REFRESH_NANOS) {
            try {
                usable = Files.getFileStore(directory).getUsableSpace();
            } catch (IOException e) {
                usable = 0; // a disk we cannot even ask is not one to write the log on
            }
            readAt = now;
        }
        return usable;
    }

    String describe() {
        return "the disk of " + directory + " has " + mib(usableBytes()) + " usable, below the " + mib(minFreeBytes)
                + " a replica keeps free for its Raft log";
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
