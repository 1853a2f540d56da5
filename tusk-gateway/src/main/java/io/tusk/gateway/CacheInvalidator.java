package io.tusk.gateway;

import io.tusk.control.api.Event;
import io.tusk.control.api.EventPage;
import io.tusk.control.client.ControlClient;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.BackgroundLoop;

import java.time.Duration;
import java.util.Optional;

/**
 * Keeps the {@link BlobCache} honest by following the control plane's event stream ({@code GET /v1/events} long
 * poll) from the moment the gateway starts:
 * <ul>
 *   <li>{@code blobDeleted}: the blob is evicted (even if another object of it may still live: the next read checks
 *       again, which costs one read and never serves deleted data);</li>
 *   <li>{@code invalidBlobId}: evicted;</li>
 *   <li>{@code blobCertified} with a later end epoch (an extension, or another object): the entry lives longer;</li>
 *   <li>{@code epochChange}: entries whose storage ended are evicted.</li>
 * </ul>
 * While the stream cannot be followed (control plane down), {@link #isFresh()} turns false after
 * {@code staleMillis}, and the gateway then re-checks a blob's status before serving it from the cache.
 * The same events tell which blobs are certified ({@link CertifiedBlobs}), so a cold read of a blob certified while the
 * gateway was following needs no status query ({@link #certified}).
 * Runs on one virtual {@link BackgroundLoop} until {@link #close()}.
 */
final class CacheInvalidator implements AutoCloseable {
    private final ControlClient control;
    private final BlobCache cache;
    private final CertifiedBlobs certified;
    private final long waitMillis;
    private final long staleMillis;
    private final BackgroundLoop loop;
    private volatile long lastSuccessNanos;
    private volatile long cursor;

    /** Starts following from the control plane's current end of the stream. */
    CacheInvalidator(ControlClient control, BlobCache cache, long waitMillis, long staleMillis) {
        this.control = control;
        this.cache = cache;
        this.waitMillis = waitMillis;
        this.staleMillis = staleMillis;
        var health = control.health();
        this.cursor = health.eventCount();
        cache.setCurrentEpoch(health.epoch());
        this.certified = new CertifiedBlobs(health.epoch());
        this.lastSuccessNanos = System.nanoTime();
        // Back to back: each pass is a long poll; a control plane that fails is asked again after 0.1 s, up to 5 s.
        this.loop = BackgroundLoop.named("gateway-cache-invalidator", this::pass).virtual().every(Duration.ZERO)
                .retryAfter(Duration.ofMillis(100), Duration.ofSeconds(5)).start();
    }

    /** True while the event stream was read successfully within the last {@code staleMillis}. */
    boolean isFresh() {
        return System.nanoTime() - lastSuccessNanos < staleMillis * 1_000_000;
    }

    /**
     * The blob's size and storage end if the event stream showed it certified and unexpired and is being followed
     * ({@link #isFresh()}); empty if that is not known, and the control plane must be asked.
     */
    Optional<CertifiedBlobs.Known> certified(BlobId blobId) {
        return isFresh() ? certified.lookup(blobId) : Optional.empty();
    }

    /** The next event cursor to read (for tests). */
    long cursor() {
        return cursor;
    }

    /** Applies the next page of events. */
    private void pass() {
        EventPage page = control.events(cursor, 1000, waitMillis);
        for (Event event : page.events()) {
            apply(event);
        }
        cursor = page.next();
        lastSuccessNanos = System.nanoTime();
    }

    private void apply(Event event) {
        certified.apply(event);
        switch (event) {
            case Event.BlobDeleted deleted -> cache.evict(BlobId.parse(deleted.blobId()));
            case Event.InvalidBlobId invalid -> cache.evict(BlobId.parse(invalid.blobId()));
            case Event.BlobCertified certified -> cache.extend(BlobId.parse(certified.blobId()), certified.endEpoch());
            case Event.EpochChange change -> cache.expire(change.epoch());
            default -> { } // registrations and committee changes do not change what a cached blob holds
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
