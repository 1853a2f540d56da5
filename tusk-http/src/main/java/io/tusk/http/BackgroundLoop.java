package io.tusk.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One named thread that runs a pass over and over: after each pass it waits a fixed delay, or until {@link #wake()}
 * (a loop with no delay only runs when woken, or back to back with {@link Duration#ZERO}). A pass that throws is
 * logged and counted, and the next one runs after a back-off that doubles from {@code retry} up to {@code maxRetry},
 * so a dead peer is not hammered; a good pass resets it. {@link #close()} stops the loop and waits for the pass in
 * progress to end, which is what a server needs before it closes the store the pass reads (a RocksDB call on a
 * closed database crashes the JVM). Servers run their event followers, tickers and periodic jobs on it.
 *
 * <p>Thread-safe. Interrupting the thread is how {@code close} ends a wait or a blocking pass: a pass should let
 * {@link InterruptedException} out (or end soon after an interrupt).
 */
public final class BackgroundLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoop.class);
    /** How often {@link #close()} says it is still waiting for a pass that does not end. */
    private static final long CLOSE_WARNING_SECONDS = 10;

    /** One pass of the loop's work. */
    @FunctionalInterface
    public interface Pass {
        void run() throws Exception;
    }

    private final String name;
    private final Pass pass;
    private final Duration firstDelay;
    private final Duration delay; // null: only when woken
    private final Duration retry;
    private final Duration maxRetry;
    private final Semaphore wakeUp = new Semaphore(0);
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private BackgroundLoop(Builder builder) {
        this.name = builder.name;
        this.pass = builder.pass;
        // A loop that runs when woken waits for its first wake-up too, unless told otherwise.
        this.firstDelay = builder.firstDelaySet ? builder.firstDelay : builder.delay == null ? null : Duration.ZERO;
        this.delay = builder.delay;
        this.retry = builder.retry;
        this.maxRetry = builder.maxRetry;
        Thread.Builder threads = builder.virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true);
        this.thread = threads.name(name).unstarted(this::loop);
    }

    /** A loop named {@code name} (its thread's name, and the name its failures are logged under) running {@code pass}. */
    public static Builder named(String name, Pass pass) {
        return new Builder(name, pass);
    }

    /** Runs the next pass now, or right after the one in progress; wake-ups while one is pending collapse into it. */
    public void wake() {
        synchronized (wakeUp) {
            if (wakeUp.availablePermits() == 0) {
                wakeUp.release();
            }
        }
    }

    /** Passes that ended, well or not. */
    public long passes() {
        return passes.get();
    }

    /** Passes that threw. */
    public long failures() {
        return failures.get();
    }

    public String name() {
        return name;
    }

    private void loop() {
        if (!await(firstDelay)) {
            return;
        }
        Duration backoff = retry;
        while (running) {
            Duration wait;
            try {
                pass.run();
                backoff = retry;
                wait = delay;
            } catch (Exception e) {
                if (!running) {
                    return; // closing: a pass cut short by the interrupt is no failure
                }
                long count = failures.incrementAndGet();
                LOG.warn("{} failed (failure {}), next pass in {} ms: {}", name, count, backoff.toMillis(), e.toString());
                LOG.debug("{} failure", name, e);
                wait = backoff;
                backoff = min(backoff.multipliedBy(2), maxRetry);
            } finally {
                passes.incrementAndGet();
            }
            if (!await(wait)) {
                return;
            }
        }
    }

    /** Waits {@code wait} ({@code null}: until woken) or until woken; false once the loop is closing. */
    private boolean await(Duration wait) {
        try {
            if (wait == null) {
                wakeUp.acquire();
            } else if (!wait.isZero()) {
                wakeUp.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.interrupted(); // only close interrupts the loop; anything else is ignored
        }
        return running;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Stops the loop: no pass starts after this, a wait ends at once, the pass in progress is interrupted, and this
     * returns once it has ended, however long that takes (with a warning every {@value #CLOSE_WARNING_SECONDS} s).
     */
    @Override
    public void close() {
        running = false;
        if (thread.getState() == Thread.State.NEW) {
            return;
        }
        thread.interrupt();
        boolean interrupted = false;
        long waited = 0;
        while (thread.isAlive()) {
            try {
                if (!thread.join(Duration.ofSeconds(CLOSE_WARNING_SECONDS))) {
                    waited += CLOSE_WARNING_SECONDS;
                    LOG.warn("{} has not stopped {} s after close: waiting for its pass to end", name, waited);
                    thread.interrupt();
                }
            } catch (InterruptedException e) {
                interrupted = true; // the caller's interrupt must not leave the pass running behind its back
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** How a {@link BackgroundLoop} runs; {@link #start()} starts it. */
    public static final class Builder {
        private final String name;
        private final Pass pass;
        private Duration firstDelay;
        private boolean firstDelaySet;
        private Duration delay;
        private Duration retry = Duration.ofSeconds(1);
        private Duration maxRetry = Duration.ofSeconds(1);
        private boolean virtual;

        private Builder(String name, Pass pass) {
            this.name = Objects.requireNonNull(name, "name");
            this.pass = Objects.requireNonNull(pass, "pass");
        }

        /**
         * Waits {@code delay} after each good pass ({@link Duration#ZERO}: runs back to back, for a pass that blocks
         * by itself, such as a long poll). Without this the loop waits for {@link #wake()}.
         */
        public Builder every(Duration delay) {
            this.delay = nonNegative(delay, "delay");
            return this;
        }

        /**
         * Waits {@code delay} (or until woken) before the first pass. Otherwise the first pass of a loop with a delay
         * runs at once, and that of a loop without one when it is first woken.
         */
        public Builder firstPassAfter(Duration delay) {
            this.firstDelay = nonNegative(delay, "first delay");
            this.firstDelaySet = true;
            return this;
        }

        /** After a failed pass waits {@code first}, doubling on each further failure up to {@code max}. */
        public Builder retryAfter(Duration first, Duration max) {
            this.retry = nonNegative(first, "retry");
            this.maxRetry = nonNegative(max, "maxRetry");
            if (max.compareTo(first) < 0) {
                throw new IllegalArgumentException(name + ": the longest retry wait " + max + " is below the first " + first);
            }
            return this;
        }

        /** Runs on a virtual thread (for a pass that mostly waits on the network) instead of a platform daemon thread. */
        public Builder virtual() {
            this.virtual = true;
            return this;
        }

        /** A loop ready to {@link BackgroundLoop#start()}. */
        public BackgroundLoop build() {
            return new BackgroundLoop(this);
        }

        /** Builds and starts the loop. */
        public BackgroundLoop start() {
            return build().start();
        }

        private Duration nonNegative(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + ": " + what + " must not be negative, got " + value);
            }
            return value;
        }
    }

    /** Starts the loop; a closed loop stays closed. */
    public BackgroundLoop start() {
        if (running) {
            thread.start();
        }
        return this;
    }
}
