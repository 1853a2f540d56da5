package io.tusk.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tusk.memory.space.MemorySpace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Group commit: writers that arrive while a space commit is in flight land together in the next one, each getting
 * back a sequence whose commit holds its memory. The first commit is held open on a latch (no timing involved), so
 * the other writers are certainly queued behind it.
 */
class GroupCommitTest {

    /** A space whose commits can be held at a gate, counting them. */
    private static final class GatedSpace implements MemorySpace {
        private final InMemorySpace inner = new InMemorySpace("group", true);
        private final AtomicInteger commits = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile CountDownLatch entered = new CountDownLatch(0);

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public boolean encrypted() {
            return inner.encrypted();
        }

        @Override
        public long headVersion() {
            return inner.headVersion();
        }

        @Override
        public Committed commit(List<Change> changes) {
            entered.countDown();
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate was never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            commits.incrementAndGet();
            return inner.commit(changes);
        }

        @Override
        public Committed forget(List<String> keys) {
            return inner.forget(keys);
        }

        @Override
        public Optional<byte[]> read(String key) {
            return inner.read(key);
        }

        @Override
        public List<String> keys(String prefix) {
            return inner.keys(prefix);
        }

        @Override
        public List<VersionChanges> changesSince(long afterVersion, int limit) {
            return inner.changesSince(afterVersion, limit);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void shouldLandWritersQueuedBehindACommitInOneVersion() throws Exception {
        GatedSpace space = new GatedSpace();
        // Vectors are given, so the model embeds nothing: what is tested is the commit path.
        try (MemoryStore store = MemoryStore.open(space, TestEmbedders.local(),
                MemoryOptions.DEFAULT.withDedup(DedupPolicy.OFF))) {
            int baseCommits = space.commits.get();
            space.entered = new CountDownLatch(1);
            space.gate = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(5);
            try {
                List<Future<RememberResult>> results = new ArrayList<>();
                results.add(pool.submit(() -> store.remember(memory(0))));
                assertThat(space.entered.await(60, TimeUnit.SECONDS)).isTrue();
                for (int i = 1; i <= 4; i++) {
                    int n = i;
                    results.add(pool.submit(() -> store.remember(memory(n))));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> store.waitingWrites() == 4);
                space.gate.countDown();

                List<Long> sequences = new ArrayList<>();
                for (Future<RememberResult> r : results) {
                    sequences.add(r.get(60, TimeUnit.SECONDS).sequence());
                }
                assertThat(space.commits.get() - baseCommits).as("one commit, then one for the four queued").isEqualTo(2);
                assertThat(sequences.subList(1, 5)).as("the queued writers share a version").containsOnly(sequences.get(1));
                assertThat(sequences.get(1)).isEqualTo(sequences.get(0) + 1);
                assertThat(store.size()).isEqualTo(5);
                for (int i = 0; i < 5; i++) {
                    String id = results.get(i).get().id();
                    assertThat(store.get(id)).get().extracting(Memory::revision).isEqualTo(sequences.get(i));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static Remember memory(int n) {
        float[] vector = new float[384];
        vector[n] = 1;
        return Remember.embedding(vector, "memory " + n, java.util.Map.of());
    }
}
