package io.tusk.node.store;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the node's store has been through since it opened: data found corrupt and dropped for recovery, and whether
 * writes fail right now (a full disk, an I/O error, RocksDB stopped by a background error). The node's health answer
 * and its metrics read it, so that they tell the truth about the disk. Thread-safe.
 */
public final class StoreHealth {
    private final AtomicLong corruptSlivers = new AtomicLong();
    private final AtomicLong corruptMetadata = new AtomicLong();
    private final AtomicLong familiesRecreated = new AtomicLong();
    private final AtomicReference<WriteFailure> writeFailure = new AtomicReference<>();

    /** Writes failing since {@code sinceMillis} (wall clock), the last with {@code message}. */
    public record WriteFailure(String message, long sinceMillis) {
    }

    /**
     * @param corruptSlivers     slivers that failed RocksDB's checksum, deleted so that recovery rebuilds them
     * @param corruptMetadata    metadata entries that failed RocksDB's checksum, deleted so that recovery fetches them
     * @param familiesRecreated  column families dropped and created empty because one of their SST files was corrupt
     * @param writeFailure       present while writes fail
     */
    public record Snapshot(long corruptSlivers, long corruptMetadata, long familiesRecreated,
                           Optional<WriteFailure> writeFailure) {
        /** True when the store takes writes. */
        public boolean writable() {
            return writeFailure.isEmpty();
        }
    }

    void countCorruptSliver() {
        corruptSlivers.incrementAndGet();
    }

    void countCorruptMetadata() {
        corruptMetadata.incrementAndGet();
    }

    void countFamilyRecreated() {
        familiesRecreated.incrementAndGet();
    }

    /** Records a failed write; returns true if writes were working until now. */
    boolean writeFailed(String message) {
        WriteFailure previous = writeFailure.getAndUpdate(
                current -> new WriteFailure(message, current == null ? System.currentTimeMillis() : current.sinceMillis()));
        return previous == null;
    }

    /** Records a successful write; returns true if writes were failing until now. */
    boolean writeSucceeded() {
        return writeFailure.get() != null && writeFailure.getAndSet(null) != null;
    }

    public long corruptSlivers() {
        return corruptSlivers.get();
    }

    public long corruptMetadata() {
        return corruptMetadata.get();
    }

    public long familiesRecreated() {
        return familiesRecreated.get();
    }

    public Optional<WriteFailure> writeFailure() {
        return Optional.ofNullable(writeFailure.get());
    }

    public Snapshot snapshot() {
        return new Snapshot(corruptSlivers.get(), corruptMetadata.get(), familiesRecreated.get(), writeFailure());
    }
}
