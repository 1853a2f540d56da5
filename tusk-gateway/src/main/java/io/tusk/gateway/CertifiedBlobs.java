package io.tusk.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tusk.control.api.Event;
import io.tusk.core.metadata.BlobId;

import java.util.Optional;

/**
 * The blobs the control plane's event stream has shown certified since the gateway began following it, with their
 * size and storage end: a cold read of one of them needs no status query of its own (on a devnet's two cores that
 * query costs about as much as the rest of a 1 KiB read). It knows only what it saw: a blob certified before the
 * gateway started, or whose registration it missed, is not known, and a read asks the control plane as before.
 *
 * <p>It is as fresh as the stream and errs towards forgetting: a deletion of any object of the blob or an invalidation
 * forgets the blob (another live object is found by the next status query), and an epoch change forgets every blob
 * whose storage ended. The caller must only trust it while the stream is being followed ({@link CacheInvalidator#isFresh}),
 * the same window in which the gateway's cache serves without asking. Bounded: the oldest entries are dropped first.
 */
final class CertifiedBlobs {
    /** A certified blob: its unencoded size (from its registration) and the first epoch its storage no longer covers. */
    record Known(long size, int endEpoch) {
    }

    /** Entries of each map: a few MiB at most, far more blobs than a gateway reads cold between restarts. */
    static final int MAX_ENTRIES = 100_000;

    /** Registered objects' sizes by object ID, until their certification (a certification event carries no size). */
    private final Cache<String, Long> registered;
    private final Cache<BlobId, Known> certified;
    private volatile int currentEpoch;

    CertifiedBlobs(int currentEpoch, int maxEntries) {
        this.currentEpoch = currentEpoch;
        // Evictions run on the thread that adds (the event follower's), not later on a pool: the bound always holds.
        this.registered = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
        this.certified = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
    }

    CertifiedBlobs(int currentEpoch) {
        this(currentEpoch, MAX_ENTRIES);
    }

    /** Takes in one event of the stream, in stream order. */
    void apply(Event event) {
        switch (event) {
            case Event.BlobRegistered r -> registered.put(r.objectId(), r.size());
            case Event.BlobCertified c -> certify(c);
            case Event.BlobDeleted d -> {
                registered.invalidate(d.objectId());
                certified.invalidate(BlobId.parse(d.blobId()));
            }
            case Event.InvalidBlobId i -> certified.invalidate(BlobId.parse(i.blobId()));
            case Event.EpochChange change -> expire(change.epoch());
            default -> { } // committee changes do not change what is certified
        }
    }

    private void certify(Event.BlobCertified event) {
        Long size = registered.getIfPresent(event.objectId());
        BlobId blobId = BlobId.parse(event.blobId());
        certified.asMap().compute(blobId, (id, known) -> {
            if (known != null) {
                return new Known(known.size(), Math.max(known.endEpoch(), event.endEpoch())); // an extension or another object
            }
            return size == null ? null : new Known(size, event.endEpoch()); // registered before we followed: unknown
        });
    }

    private void expire(int epoch) {
        currentEpoch = Math.max(currentEpoch, epoch);
        certified.asMap().values().removeIf(known -> known.endEpoch() <= epoch);
    }

    /** The blob if the stream showed it certified and its storage has not ended; empty if unknown. */
    Optional<Known> lookup(BlobId blobId) {
        Known known = certified.getIfPresent(blobId);
        return known != null && known.endEpoch() > currentEpoch ? Optional.of(known) : Optional.empty();
    }
}
