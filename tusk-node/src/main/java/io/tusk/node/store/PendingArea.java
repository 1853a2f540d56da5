package io.tusk.node.store;

import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;

import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Metadata and slivers that arrived with {@code ?pending=true} before the node saw the blob's registration. Bounded
 * by entry count and bytes, and entries older than a time-to-live are dropped: Walrus keeps the same kind of
 * in-memory cache ({@code CACHE_SATURATED} when full). It lives in memory, so a restart forgets it, as in Walrus;
 * clients re-send after registering.
 *
 * <p>Thread-safe (every method is synchronized; the work inside is map operations only).
 */
public final class PendingArea {

    /** What happened to a buffered item. */
    public enum Outcome { BUFFERED, ALREADY_BUFFERED, SATURATED }

    /** A sliver waiting for its blob's registration: its pair index, axis and BCS {@code SliverData}. */
    public record PendingSliver(int pairIndex, SliverType type, byte[] bcs) {
    }

    /** Everything buffered for one blob. */
    public static final class PendingBlob {
        private final long createdMillis;
        private BlobMetadata metadata;
        private final Map<Long, PendingSliver> slivers = new LinkedHashMap<>();
        private long bytes;

        private PendingBlob(long createdMillis) {
            this.createdMillis = createdMillis;
        }

        public Optional<BlobMetadata> metadata() {
            return Optional.ofNullable(metadata);
        }

        public Iterable<PendingSliver> slivers() {
            return slivers.values();
        }

        public int sliverCount() {
            return slivers.size();
        }
    }

    private final int maxEntries;
    private final long maxBytes;
    private final long ttlMillis;
    private final Clock clock;
    // Insertion order = age order, so expiry scans stop at the first young entry.
    private final LinkedHashMap<BlobId, PendingBlob> blobs = new LinkedHashMap<>();
    private int entries;
    private long bytes;

    /**
     * @param maxEntries metadata and slivers together, over all blobs
     * @param maxBytes   bytes of buffered bodies, over all blobs
     * @param ttlMillis  how long a blob's buffered data waits for its registration
     */
    public PendingArea(int maxEntries, long maxBytes, long ttlMillis, Clock clock) {
        if (maxEntries < 0 || maxBytes < 0 || ttlMillis <= 0) {
            throw new IllegalArgumentException("pending bounds must be positive: maxEntries=" + maxEntries
                    + " maxBytes=" + maxBytes + " ttlMillis=" + ttlMillis);
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    public synchronized Outcome putMetadata(BlobId blobId, BlobMetadata metadata, int size) {
        expire();
        PendingBlob blob = blobs.get(blobId);
        if (blob != null && blob.metadata != null) {
            return Outcome.ALREADY_BUFFERED;
        }
        if (entries + 1 > maxEntries || bytes + size > maxBytes) {
            return Outcome.SATURATED;
        }
        blob = blobs.computeIfAbsent(blobId, id -> new PendingBlob(clock.millis()));
        blob.metadata = metadata;
        blob.bytes += size;
        entries++;
        bytes += size;
        return Outcome.BUFFERED;
    }

    public synchronized Outcome putSliver(BlobId blobId, int pairIndex, SliverType type, byte[] bcs) {
        expire();
        PendingBlob blob = blobs.get(blobId);
        long key = key(pairIndex, type);
        if (blob != null && blob.slivers.containsKey(key)) {
            return Outcome.ALREADY_BUFFERED;
        }
        if (entries + 1 > maxEntries || bytes + bcs.length > maxBytes) {
            return Outcome.SATURATED;
        }
        blob = blobs.computeIfAbsent(blobId, id -> new PendingBlob(clock.millis()));
        blob.slivers.put(key, new PendingSliver(pairIndex, type, bcs));
        blob.bytes += bcs.length;
        entries++;
        bytes += bcs.length;
        return Outcome.BUFFERED;
    }

    public synchronized Optional<BlobMetadata> metadata(BlobId blobId) {
        PendingBlob blob = blobs.get(blobId);
        return blob == null ? Optional.empty() : blob.metadata();
    }

    public synchronized boolean hasMetadata(BlobId blobId) {
        return metadata(blobId).isPresent();
    }

    public synchronized boolean hasSliver(BlobId blobId, int pairIndex, SliverType type) {
        PendingBlob blob = blobs.get(blobId);
        return blob != null && blob.slivers.containsKey(key(pairIndex, type));
    }

    /** Removes and returns everything buffered for the blob (when its registration arrives). */
    public synchronized Optional<PendingBlob> take(BlobId blobId) {
        PendingBlob blob = blobs.remove(blobId);
        if (blob == null) {
            return Optional.empty();
        }
        forget(blob);
        return Optional.of(blob);
    }

    public synchronized int entries() {
        return entries;
    }

    public synchronized long bytes() {
        return bytes;
    }

    private void forget(PendingBlob blob) {
        entries -= blob.slivers.size() + (blob.metadata != null ? 1 : 0);
        bytes -= blob.bytes;
    }

    private void expire() {
        long now = clock.millis();
        Iterator<PendingBlob> it = blobs.values().iterator();
        while (it.hasNext()) {
            PendingBlob blob = it.next();
            if (now - blob.createdMillis < ttlMillis) {
                break;
            }
            forget(blob);
            it.remove();
        }
    }

    private static long key(int pairIndex, SliverType type) {
        return ((long) pairIndex << 1) | type.tag();
    }

    /** A view for tests: blob IDs currently buffered. */
    synchronized Map<BlobId, Integer> sizes() {
        Map<BlobId, Integer> out = new HashMap<>();
        blobs.forEach((id, b) -> out.put(id, b.sliverCount() + (b.metadata != null ? 1 : 0)));
        return out;
    }
}
