package io.tusk.memory;

import io.tusk.memory.space.MemorySpace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A recall index kept in a local directory across processes ({@code MemoryOptions.indexDirectory}), so a second
 * process resumes it (and reads only the commits after it) instead of rebuilding it. The directory is bound to one
 * collection by a small origin file: the space's name and the commit time of its first version. A directory bound
 * to another space (one deleted and created again under the same name, or a path reused for another collection) is
 * emptied and built again from the space, never resumed against the wrong one.
 */
final class LocalIndex {

    /** Not a Lucene file name, so Lucene's file deleter leaves it alone. */
    static final String ORIGIN_FILE = "tusk-memory-origin";

    private LocalIndex() {
    }

    /**
     * Claims {@code directory} for this process while the index is opened (checked, emptied, restored from the
     * published segments): two processes starting on one empty directory must not both write it. The claim is a
     * lock on a file beside the directory (emptying the directory keeps it); once the index is open, Lucene's own
     * write lock holds the directory and the claim is closed.
     *
     * @throws IndexInUseException if another process holds the claim
     */
    static java.io.Closeable claim(Path directory) throws IOException {
        Path parent = directory.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                parent.resolve(directory.getFileName() + ".lock"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException held) {
            lock = null; // held by this JVM (another store on the same directory)
        }
        if (lock == null) {
            channel.close();
            throw new IndexInUseException("the recall index at " + directory + " is being opened by another process",
                    null);
        }
        java.nio.channels.FileLock held = lock;
        return () -> {
            try (channel) {
                held.release();
            }
        };
    }

    /**
     * Makes {@code directory} ready for {@code space}'s index: kept if it is bound to this space, else emptied and
     * bound to it. Call it holding {@link #claim}.
     *
     * @return whether an index bound to this space was kept
     */
    static boolean prepare(Path directory, MemorySpace space) throws IOException {
        String origin = space.name() + "\n" + (space.headVersion() >= 1 ? space.commitTime(1) : "empty") + "\n";
        Path file = directory.resolve(ORIGIN_FILE);
        if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(origin)) {
            return true;
        }
        if (Files.isDirectory(directory)) {
            try (Stream<Path> walk = Files.walk(directory)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(directory)) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(directory);
        Files.writeString(file, origin, StandardCharsets.UTF_8);
        return false;
    }
}
