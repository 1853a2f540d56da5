package io.tusk.spaces;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Batches records into appends by size and age: a batch is appended (one commit, one segment) when it holds
 * {@code maxBatchBytes} or its oldest record is {@code maxAge} old, whichever comes first; {@link #close()} appends
 * what is left. So a feed of small records costs one commit per batch, and no record waits longer than about
 * {@code maxAge} plus one commit. Thread-safe; appends run one at a time, in order.
 */
public final class StreamAppender implements AutoCloseable {
    private final SpaceStream stream;
    private final long maxBatchBytes;
    private final Duration maxAge;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tusk-stream-appender");
        t.setDaemon(true);
        return t;
    });
    private final Object flushLock = new Object();
    private List<byte[]> batch = new ArrayList<>();
    private long batchBytes;
    private long oldestNanos;
    private long appended;
    private RuntimeException failure;
    private boolean closed;

    StreamAppender(SpaceStream stream, long maxBatchBytes, Duration maxAge) {
        if (maxBatchBytes < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("an appender needs a batch size >= 1 and a positive age, got "
                    + maxBatchBytes + " and " + maxAge);
        }
        this.stream = stream;
        this.maxBatchBytes = maxBatchBytes;
        this.maxAge = maxAge;
        long period = Math.max(1, maxAge.toMillis() / 4);
        timer.scheduleAtFixedRate(this::flushIfOld, period, period, TimeUnit.MILLISECONDS);
    }

    /** Adds a record; may append a full batch before returning. @throws SpaceException if an earlier append failed */
    public void add(byte[] record) {
        boolean full;
        synchronized (this) {
            rethrow();
            if (closed) {
                throw new IllegalStateException("the appender is closed");
            }
            if (batch.isEmpty()) {
                oldestNanos = System.nanoTime();
            }
            batch.add(record.clone());
            batchBytes += record.length;
            full = batchBytes >= maxBatchBytes || batch.size() >= SpaceStream.MAX_BATCH_RECORDS;
        }
        if (full) {
            flush();
        }
    }

    /** Appends what is buffered now. */
    public void flush() {
        synchronized (flushLock) {
            List<byte[]> records;
            synchronized (this) {
                if (batch.isEmpty()) {
                    return;
                }
                records = batch;
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            try {
                stream.append(records);
                synchronized (this) {
                    appended += records.size();
                }
            } catch (RuntimeException e) {
                synchronized (this) {
                    failure = e;
                }
                throw e;
            }
        }
    }

    private void flushIfOld() {
        boolean old;
        synchronized (this) {
            old = !batch.isEmpty() && System.nanoTime() - oldestNanos >= maxAge.toNanos() && failure == null;
        }
        if (old) {
            try {
                flush();
            } catch (RuntimeException e) {
                // kept in failure; the next add or close reports it
            }
        }
    }

    /** Records appended so far. */
    public synchronized long appended() {
        return appended;
    }

    private void rethrow() {
        if (failure != null) {
            throw new SpaceException("an earlier append to stream " + stream.name() + " failed: " + failure.getMessage(), failure);
        }
    }

    /** Appends what is left and stops the timer. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        timer.shutdownNow();
        synchronized (this) {
            rethrow();
        }
        flush();
    }
}
