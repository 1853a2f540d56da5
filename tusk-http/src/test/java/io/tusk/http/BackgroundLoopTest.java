package io.tusk.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The one background-loop runner: delays, wake-ups, failures counted with back-off, and a close that waits. */
class BackgroundLoopTest {
    private static final Duration LONG = Duration.ofMinutes(10); // a wait no test may sit out
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void shouldRunPassesBackToBackOrAfterTheirDelay() {
        AtomicInteger runs = new AtomicInteger();
        try (BackgroundLoop loop = BackgroundLoop.named("test-loop", runs::incrementAndGet).every(Duration.ZERO).start()) {
            await().atMost(PATIENCE).until(() -> runs.get() >= 50);
            assertThat(loop.passes()).isPositive();
            assertThat(loop.failures()).isZero();
        }
        AtomicInteger slow = new AtomicInteger();
        try (BackgroundLoop loop = BackgroundLoop.named("test-slow", slow::incrementAndGet).every(LONG).start()) {
            await().atMost(PATIENCE).until(() -> slow.get() == 1); // the first pass runs at once
            loop.wake(); // and a wake-up cuts the delay short
            await().atMost(PATIENCE).until(() -> slow.get() == 2);
        }
    }

    @Test
    void shouldRunAWakeUpLoopOnlyWhenWokenCollapsingWakeUpsThatArriveMeanwhile() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BackgroundLoop.Pass pass = () -> {
            if (runs.incrementAndGet() == 1) {
                inPass.countDown();
                release.await();
            }
        };
        try (BackgroundLoop loop = BackgroundLoop.named("test-wake", pass).start()) {
            assertThat(runs.get()).isZero();
            loop.wake();
            assertThat(inPass.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                loop.wake(); // while the first pass runs: one more pass, not five
            }
            release.countDown();
            await().atMost(PATIENCE).until(() -> loop.passes() == 2);
            assertThat(runs.get()).isEqualTo(2);
        }
    }

    @Test
    void shouldCountAndLogFailuresAndGoOnAfterABackOff() {
        AtomicInteger runs = new AtomicInteger();
        BackgroundLoop.Pass pass = () -> {
            if (runs.incrementAndGet() <= 3) {
                throw new IllegalStateException("peer down");
            }
        };
        try (BackgroundLoop loop = BackgroundLoop.named("test-failing", pass).every(LONG)
                .retryAfter(Duration.ofMillis(1), Duration.ofMillis(4)).start()) {
            await().atMost(PATIENCE).until(() -> runs.get() == 4);
            assertThat(loop.failures()).isEqualTo(3);
        }
    }

    @Test
    void shouldWaitInCloseForThePassInProgressEvenIfItIgnoresTheInterrupt() throws Exception {
        CountDownLatch inPass = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        // Like a native call (RocksDB) that an interrupt does not stop: the pass goes on for a while after it.
        BackgroundLoop.Pass pass = () -> {
            inPass.countDown();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            ended.set(true);
        };
        BackgroundLoop loop = BackgroundLoop.named("test-close", pass).every(Duration.ZERO).start();
        assertThat(inPass.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        loop.close();
        assertThat(ended).as("the pass had ended when close returned").isTrue();
        long passes = loop.passes();
        assertThat(loop.passes()).as("no pass after close").isEqualTo(passes);
    }

    @Test
    void shouldCloseALoopThatNeverStartedAndNeverStartItAfterwards() {
        AtomicInteger runs = new AtomicInteger();
        BackgroundLoop loop = BackgroundLoop.named("test-unstarted", runs::incrementAndGet).every(Duration.ZERO).build();
        loop.close();
        loop.start();
        assertThat(runs.get()).isZero();
    }

    @Test
    void shouldRefuseNegativeDelays() {
        assertThatThrownBy(() -> BackgroundLoop.named("test-bad", () -> { }).every(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test-bad");
        assertThatThrownBy(() -> BackgroundLoop.named("test-bad", () -> { })
                .retryAfter(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below the first");
    }
}
