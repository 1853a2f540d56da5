package io.tusk.node.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tusk.node.store.NodeStore;
import io.tusk.http.BackgroundLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A node's database checkpoints (Walrus operators' backups): consistent copies of the RocksDB database taken while the
 * node serves, on request ({@code tusk node-admin checkpoint}) or every {@link CheckpointConfig#interval()}, the newest
 * {@link CheckpointConfig#retention()} kept; and {@link #restore}, which puts one back in place of a stopped node's
 * database. A restored node is behind the network by whatever happened since the checkpoint: it follows the control
 * plane's events from the checkpoint's cursor, rebuilds slivers of blobs certified since from other nodes' recovery
 * symbols, and pulls shards it gained from their previous owners, until it serves everything it owns.
 *
 * <p>Each checkpoint is a folder {@code checkpoint-<UTC time>} in the checkpoint directory, written under a
 * {@code .tmp} name and renamed when complete, so a crash never leaves a checkpoint that looks whole. One checkpoint is
 * taken at a time. Thread-safe.
 */
public final class Checkpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    static final String PREFIX = "checkpoint-";
    private static final String TEMPORARY = ".tmp";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** A checkpoint on disk. */
    public record Checkpoint(Path path, Instant created, long bytes) {
    }

    private final NodeStore store;
    private final CheckpointConfig config;
    private final Clock clock;
    private final ReentrantLock taking = new ReentrantLock();
    private final Counter succeeded;
    private final Counter failed;
    private final Timer duration;
    private final AtomicLong lastMillis = new AtomicLong();
    private BackgroundLoop periodic;
    private volatile boolean closed;

    public Checkpoints(NodeStore store, CheckpointConfig config, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.succeeded = Counter.builder("tusk_node_checkpoints").tag("result", "ok")
                .description("database checkpoints taken, by result").register(registry);
        this.failed = Counter.builder("tusk_node_checkpoints").tag("result", "failed")
                .description("database checkpoints taken, by result").register(registry);
        this.duration = Timer.builder("tusk_node_checkpoint_duration")
                .description("time to write a checkpoint (flush and link)").register(registry);
        Gauge.builder("tusk_node_checkpoint_last_time", lastMillis, m -> m.get() / 1000.0).baseUnit("seconds")
                .description("when the last checkpoint was taken (Unix time), 0 if none since start")
                .register(registry);
    }

    public CheckpointConfig config() {
        return config;
    }

    /** Starts taking periodic checkpoints if the configuration asks for them; removes leftovers of a crash. */
    public Checkpoints start() throws IOException {
        Files.createDirectories(config.directory());
        try (Stream<Path> entries = Files.list(config.directory())) {
            for (Path leftover : entries.filter(p -> p.getFileName().toString().endsWith(TEMPORARY)).toList()) {
                LOG.warn("removing the incomplete checkpoint {} (the node stopped while writing it)", leftover);
                deleteTree(leftover);
            }
        }
        if (config.periodic()) {
            // A failed checkpoint is tried again at the next interval, not sooner: it may have filled the disk.
            periodic = BackgroundLoop.named("tusk-node-checkpoints", this::create).virtual().every(config.interval())
                    .firstPassAfter(config.interval()).retryAfter(config.interval(), config.interval()).start();
            LOG.info("checkpoints every {} s into {}, keeping {}", config.interval().toSeconds(), config.directory(),
                    config.retention());
        }
        return this;
    }

    /** Takes a checkpoint into the checkpoint directory and deletes the oldest beyond the retention count. */
    public Checkpoint create() {
        taking.lock();
        try {
            Instant now = clock.instant();
            Path target = config.directory().resolve(PREFIX + NAME_TIME.format(now));
            for (int n = 1; Files.exists(target); n++) { // two in the same millisecond
                target = config.directory().resolve(PREFIX + NAME_TIME.format(now) + "-" + n);
            }
            Checkpoint checkpoint = write(target, now);
            prune();
            return checkpoint;
        } finally {
            taking.unlock();
        }
    }

    /**
     * Takes a checkpoint into {@code target}, a folder that must not exist (its parent is created), outside the
     * retention count: for an operator who copies it elsewhere.
     */
    public Checkpoint createAt(Path target) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException("checkpoint target " + target + " already exists; name a new folder");
        }
        taking.lock();
        try {
            return write(target.toAbsolutePath().normalize(), clock.instant());
        } finally {
            taking.unlock();
        }
    }

    private Checkpoint write(Path target, Instant created) {
        if (closed) {
            throw new IllegalStateException("the node is stopping: no checkpoint");
        }
        long start = System.nanoTime();
        Path temporary = target.resolveSibling(target.getFileName() + TEMPORARY);
        try {
            Files.createDirectories(target.getParent());
            deleteTree(temporary);
            store.checkpoint(temporary);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            failed.increment();
            try {
                deleteTree(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof RuntimeException r ? r
                    : new UncheckedIOException("cannot write the checkpoint " + target + ": " + e.getMessage(),
                    (IOException) e);
        }
        duration.record(java.time.Duration.ofNanos(System.nanoTime() - start));
        succeeded.increment();
        lastMillis.set(created.toEpochMilli());
        Checkpoint checkpoint = new Checkpoint(target, created, sizeOf(target));
        LOG.info("checkpoint written path={} bytes={} ms={}", target, checkpoint.bytes(),
                (System.nanoTime() - start) / 1_000_000);
        return checkpoint;
    }

    private void prune() {
        List<Checkpoint> all = list(config.directory());
        for (int i = 0; i < all.size() - config.retention(); i++) {
            Path old = all.get(i).path();
            try {
                deleteTree(old);
                LOG.info("deleted checkpoint {} (keeping the newest {})", old, config.retention());
            } catch (IOException e) {
                LOG.warn("cannot delete the old checkpoint {}: {}", old, e.toString());
            }
        }
    }

    /**
     * The checkpoints in this node's checkpoint directory, oldest first. Taken under the checkpoint lock, so a
     * caller never sees a new checkpoint before the oldest beyond retention has been pruned.
     */
    public List<Checkpoint> list() {
        taking.lock();
        try {
            return list(config.directory());
        } finally {
            taking.unlock();
        }
    }

    /** The complete checkpoints in {@code directory}, oldest first (none if it does not exist). */
    public static List<Checkpoint> list(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Checkpoint> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path path : entries.sorted().toList()) {
                createdAt(path).ifPresent(created -> out.add(new Checkpoint(path, created, sizeOf(path))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + directory, e);
        }
        out.sort(Comparator.comparing(Checkpoint::created).thenComparing(Checkpoint::path));
        return out;
    }

    private static Optional<Instant> createdAt(Path path) {
        String name = path.getFileName().toString();
        if (!name.startsWith(PREFIX) || name.endsWith(TEMPORARY) || !Files.isDirectory(path)) {
            return Optional.empty();
        }
        String time = name.substring(PREFIX.length());
        int dash = time.indexOf('-');
        try {
            return Optional.of(Instant.from(NAME_TIME.parse(dash < 0 ? time : time.substring(0, dash))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Puts {@code checkpoint} in place of the database in {@code dataDir}, whose node must be stopped. The database
     * there is not deleted: it is moved aside to {@code <dataDir>.replaced-<UTC time>} (returned), so that a restore
     * from the wrong checkpoint loses nothing. Immutable RocksDB files (SST and blob files) are hard-linked where the
     * file system allows, everything else is copied, so the checkpoint stays usable afterwards.
     *
     * @return where the replaced database went, or empty if {@code dataDir} held none
     * @throws IllegalStateException    if a node holds the database open
     * @throws IllegalArgumentException if {@code checkpoint} is not a RocksDB checkpoint
     */
    public static Optional<Path> restore(Path checkpoint, Path dataDir, Clock clock) throws IOException {
        if (!Files.isRegularFile(checkpoint.resolve("CURRENT"))) {
            throw new IllegalArgumentException(checkpoint + " is not a checkpoint (it has no RocksDB CURRENT file)");
        }
        Path data = dataDir.toAbsolutePath().normalize();
        requireStopped(data);
        Optional<Path> replaced = Optional.empty();
        if (Files.exists(data)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(data)) {
                empty = entries.findAny().isEmpty();
            }
            if (empty) {
                Files.delete(data);
            } else {
                Path aside = data.resolveSibling(data.getFileName() + ".replaced-" + NAME_TIME.format(clock.instant()));
                Files.move(data, aside, StandardCopyOption.ATOMIC_MOVE);
                replaced = Optional.of(aside);
            }
        }
        Path temporary = data.resolveSibling(data.getFileName() + ".restoring");
        deleteTree(temporary);
        Files.createDirectories(temporary);
        try (Stream<Path> files = Files.list(checkpoint)) {
            for (Path file : files.toList()) {
                Path copy = temporary.resolve(file.getFileName().toString());
                String name = file.getFileName().toString();
                if (name.endsWith(".sst") || name.endsWith(".blob")) {
                    try {
                        Files.createLink(copy, file);
                        continue;
                    } catch (IOException | UnsupportedOperationException e) {
                        // another file system: copy
                    }
                }
                Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Files.move(temporary, data, StandardCopyOption.ATOMIC_MOVE);
        return replaced;
    }

    /** Refuses to touch a database that a running node holds (RocksDB's LOCK file is locked). */
    private static void requireStopped(Path dataDir) throws IOException {
        Path lockFile = dataDir.resolve("LOCK");
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("a running node holds " + dataDir + ": stop it before restoring");
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("this process holds " + dataDir + " open: stop the node before restoring");
        }
    }

    static long sizeOf(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted while we looked
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (periodic != null) {
            periodic.close(); // a checkpoint in progress must end before the store closes
        }
        taking.lock(); // wait for a requested checkpoint in progress
        taking.unlock();
    }
}
