package io.tusk.gateway;

import io.tusk.core.api.ErrorReason;
import io.tusk.http.ApiError;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the work of one kind (stores, cold reads): at most {@code running} at once and {@code queued} more waiting;
 * a request beyond both is refused at once with 429 {@code TOO_MANY_REQUESTS}, as Walrus's daemon refuses past its
 * concurrency and buffer limits. Thread-safe.
 */
final class RequestLimiter {
    private final String name;
    private final int running;
    private final int queued;
    private final Semaphore permits;
    private final AtomicInteger admitted = new AtomicInteger(); // INV: running + waiting, never above running + queued

    RequestLimiter(String name, int running, int queued) {
        this.name = name;
        this.running = running;
        this.queued = queued;
        this.permits = new Semaphore(running, true);
    }

    /** A held permit; close it exactly once. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for a permit if fewer than {@code running + queued} requests are admitted.
     *
     * @throws ApiError 429 {@code TOO_MANY_REQUESTS} if the limiter is full
     */
    Permit acquire() {
        if (admitted.incrementAndGet() > running + queued) {
            admitted.decrementAndGet();
            throw new ApiError(ErrorReason.TOO_MANY_REQUESTS, "the " + name + " is receiving too many requests ("
                    + running + " running and " + queued + " queued); please try again later");
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            admitted.decrementAndGet();
            Thread.currentThread().interrupt();
            throw new ApiError(ErrorReason.UNAVAILABLE, "the " + name + " is shutting down");
        }
        return new Permit() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    permits.release();
                    admitted.decrementAndGet();
                }
            }
        };
    }

    /** Requests running or waiting now. */
    int admitted() {
        return admitted.get();
    }
}
