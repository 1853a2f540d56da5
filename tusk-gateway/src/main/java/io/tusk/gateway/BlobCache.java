package io.tusk.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tusk.core.metadata.BlobId;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge cache: blobs that were read through the full verified path (metadata hashed to the blob ID, every sliver
 * checked against it, decoded and consistency-checked) or that this gateway itself encoded and got certified. A
 * bounded memory tier (Caffeine, weighed in bytes) in front of an optional bounded disk tier ({@link DiskCache}).
 *
 * <p>Only positive results are cached: a blob that is not found is asked for again on the next request, so a blob is
 * never answered 404 from the cache after it was stored. Each entry remembers the epoch its storage ends; the
 * {@link CacheInvalidator} removes entries on deletion, invalidation and expiry.
 *
 * <p>Race guard: a reader takes a {@link #ticket()} before it checks the blob's status, and {@link #put} refuses the
 * blob if it was evicted after that ticket, so a read that overlapped a deletion cannot put the blob back.
 * Thread-safe.
 */
final class BlobCache implements AutoCloseable {
    /** A cached blob. {@code confirmed} is false for disk entries found at start-up, not yet re-checked. */
    record Entry(byte[] data, int endEpoch, boolean confirmed) {}

    private final Cache<BlobId, Entry> memory; // null when the memory tier is off
    private final DiskCache disk; // null when the disk tier is off
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong memoryHits = new AtomicLong();
    private final AtomicLong diskHits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final Cache<BlobId, Long> evictedAt = Caffeine.newBuilder().maximumSize(100_000).build();
    private volatile int currentEpoch;

    BlobCache(long memoryBytes, long diskBytes, Path directory) throws IOException {
        this.memory = memoryBytes <= 0 ? null : Caffeine.newBuilder()
                .maximumWeight(memoryBytes)
                .weigher((BlobId id, Entry entry) -> entry.data().length + 96)
                .build();
        this.disk = directory == null || diskBytes <= 0 ? null : new DiskCache(directory, diskBytes);
    }

    /** Taken before a read checks the blob's status; see the class comment. */
    long ticket() {
        return evictions.get();
    }

    /** The cached blob, or {@code null}. A disk hit is promoted to memory. */
    Entry get(BlobId blobId) {
        if (memory != null) {
            Entry entry = memory.getIfPresent(blobId);
            if (entry != null) {
                memoryHits.incrementAndGet();
                return entry;
            }
        }
        if (disk == null) {
            misses.incrementAndGet();
            return null;
        }
        long ticket = ticket();
        DiskCache.Hit hit = disk.get(blobId);
        if (hit == null) {
            misses.incrementAndGet();
            return null;
        }
        diskHits.incrementAndGet();
        Entry entry = new Entry(hit.data(), hit.endEpoch(), hit.confirmed());
        if (memory != null && hit.confirmed() && !evictedSince(blobId, ticket)) {
            memory.put(blobId, entry);
        }
        return entry;
    }

    /**
     * Caches a verified, certified blob whose storage ends at {@code endEpoch}, unless it was evicted after
     * {@code ticket} or has already expired.
     */
    void put(BlobId blobId, byte[] data, int endEpoch, long ticket) {
        if (endEpoch <= currentEpoch || evictedSince(blobId, ticket)) {
            return;
        }
        Entry entry = new Entry(data, endEpoch, true);
        if (memory != null) {
            memory.put(blobId, entry);
        }
        if (disk != null) {
            disk.put(blobId, data, endEpoch);
        }
        if (evictedSince(blobId, ticket)) { // an eviction raced with the writes above: undo them
            removeEverywhere(blobId);
        }
    }

    /** A disk entry from before a restart was re-checked: it may be served, until {@code endEpoch}. */
    void confirm(BlobId blobId, Entry entry, int endEpoch) {
        if (disk != null) {
            disk.confirm(blobId, endEpoch);
        }
        if (memory != null) {
            memory.put(blobId, new Entry(entry.data(), endEpoch, true));
        }
    }

    /** Removes a blob: deleted, marked invalid, or found not certified. */
    void evict(BlobId blobId) {
        evictedAt.put(blobId, evictions.incrementAndGet());
        removeEverywhere(blobId);
    }

    private void removeEverywhere(BlobId blobId) {
        if (memory != null) {
            memory.invalidate(blobId);
        }
        if (disk != null) {
            disk.remove(blobId);
        }
    }

    /** The blob's storage now lasts until {@code endEpoch} (an extension). */
    void extend(BlobId blobId, int endEpoch) {
        if (memory != null) {
            memory.asMap().computeIfPresent(blobId, (id, entry) -> entry.endEpoch() >= endEpoch ? entry
                    : new Entry(entry.data(), endEpoch, entry.confirmed()));
        }
        if (disk != null) {
            disk.extend(blobId, endEpoch);
        }
    }

    /** The network is in {@code epoch}: entries whose storage ended are removed. */
    void expire(int epoch) {
        currentEpoch = Math.max(currentEpoch, epoch);
        evictions.incrementAndGet(); // a read in flight may have seen the old epoch; put() re-checks endEpoch
        if (memory != null) {
            memory.asMap().entrySet().removeIf(e -> e.getValue().endEpoch() <= epoch);
        }
        if (disk != null) {
            disk.expire(epoch);
        }
    }

    void setCurrentEpoch(int epoch) {
        currentEpoch = Math.max(currentEpoch, epoch);
    }

    private boolean evictedSince(BlobId blobId, long ticket) {
        Long at = evictedAt.getIfPresent(blobId);
        return at != null && at > ticket;
    }

    /** Entries in memory (approximate) and on disk, for logs and tests. */
    long memoryEntries() {
        return memory == null ? 0 : memory.estimatedSize();
    }

    int diskEntries() {
        return disk == null ? 0 : disk.size();
    }

    /** Bytes of blob data in memory (with a small per-entry overhead) and on disk. */
    long memoryBytes() {
        return memory == null ? 0 : memory.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    long diskBytes() {
        return disk == null ? 0 : disk.usedBytes();
    }

    /** Lookups answered from memory, from disk, and not at all since start. */
    long memoryHits() {
        return memoryHits.get();
    }

    long diskHits() {
        return diskHits.get();
    }

    long misses() {
        return misses.get();
    }

    @Override
    public void close() {
        if (memory != null) {
            memory.invalidateAll();
        }
    }
}
