package io.tusk.http;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body made of existing buffers, published as they are: {@code HttpRequest.BodyPublishers.ofByteArray}
 * copies its array into fresh buffers first, which for slivers is megabytes of garbage per request. Each
 * subscription publishes read-only duplicates, so the body can be sent again (redirects, retries).
 */
final class BufferPublisher implements HttpRequest.BodyPublisher {
    private final ByteBuffer[] buffers;
    private final long length;

    private BufferPublisher(ByteBuffer[] buffers) {
        this.buffers = buffers;
        long total = 0;
        for (ByteBuffer buffer : buffers) {
            total += buffer.remaining();
        }
        this.length = total;
    }

    static BufferPublisher of(ByteBuffer[] buffers) {
        return new BufferPublisher(buffers.clone());
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Subscription(subscriber));
    }

    /** Delivers buffer after buffer as demanded; re-entrant calls of request() only add demand. */
    private final class Subscription implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger draining = new AtomicInteger();
        private final AtomicBoolean done = new AtomicBoolean();

        Subscription(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                if (done.compareAndSet(false, true)) {
                    subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
                }
                return;
            }
            demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            if (draining.getAndIncrement() != 0) {
                return; // the thread already draining will see the new demand
            }
            do {
                while (!done.get() && demand.get() > 0 && next.get() < buffers.length) {
                    demand.decrementAndGet();
                    subscriber.onNext(buffers[next.getAndIncrement()].asReadOnlyBuffer());
                }
                if (next.get() == buffers.length && done.compareAndSet(false, true)) {
                    subscriber.onComplete();
                }
            } while (draining.decrementAndGet() != 0);
        }

        @Override
        public void cancel() {
            done.set(true);
        }
    }
}
