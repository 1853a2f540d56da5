package io.tusk.memory.bench;

import io.tusk.memory.DedupPolicy;
import io.tusk.memory.InMemorySpace;
import io.tusk.memory.IndexSnapshots;
import io.tusk.memory.Memory;
import io.tusk.memory.MemoryOptions;
import io.tusk.memory.MemoryStore;
import io.tusk.memory.Recall;
import io.tusk.memory.Remember;
import io.tusk.memory.RememberResult;
import io.tusk.memory.embedding.Embedder;
import io.tusk.memory.space.MemorySpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Long-conversation memory benchmark on {@link ConversationFixture}: an agent remembers every turn of every session
 * (one batch per session; a restated fact supersedes the old one), then answers questions about earlier sessions.
 * Reports recall@5 (the fact's memory, in its latest revision, among the first five), recall latency with the query
 * embedding, remember throughput (one at a time and batched), and cold start of a fresh client from the published
 * index versus replaying every commit. The space is kept in this process (what is measured is memory's own work;
 * network figures come from the devnet runs in docs/memory.md).
 *
 * <pre>
 * java -Xmx4g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$CP" \
 *   io.tusk.memory.bench.MemoryRecallBenchmark 300 4 8
 * </pre>
 */
public final class MemoryRecallBenchmark {

    public static void main(String[] args) {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int facts = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int smallTalk = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        ConversationFixture.Fixture fixture = ConversationFixture.generate(sessions, facts, smallTalk, 0.2, 12);
        Embedder embedder = Embedder.local();
        MemorySpace space = new InMemorySpace("bench", true);
        System.out.printf(Locale.ROOT, "fixture: %d sessions, %d turns, %d questions (%d knowledge updates)%n",
                sessions, fixture.turns().size(), fixture.questions().size(),
                fixture.questions().stream().filter(q -> q.kind().equals("knowledge-update")).count());
        Map<String, String> memoryOfFact = new HashMap<>();
        try (MemoryStore store = MemoryStore.open(space, embedder, MemoryOptions.DEFAULT)) {
            // Warm the model and the JIT on turns that are not part of the fixture.
            for (int i = 0; i < 30; i++) {
                store.recall(Recall.of("warm-up question " + i, 5));
            }
            long[] single = new long[Math.min(200, fixture.turns().size() / 4)];
            long t0 = System.nanoTime();
            int index = 0;
            for (int s = 0; s < sessions; s++) {
                List<ConversationFixture.Turn> batch = new ArrayList<>();
                for (ConversationFixture.Turn turn : fixture.turns()) {
                    if (turn.session() == s) {
                        batch.add(turn);
                    }
                }
                List<Remember> fresh = new ArrayList<>();
                List<ConversationFixture.Turn> freshTurns = new ArrayList<>();
                for (ConversationFixture.Turn turn : batch) {
                    String existing = turn.factId() == null ? null : memoryOfFact.get(turn.factId());
                    if (existing != null) {
                        store.update(existing, Remember.text(turn.text())); // knowledge update: supersede
                    } else if (index < single.length) {
                        long s0 = System.nanoTime();
                        RememberResult r = store.remember(Remember.text(turn.text()));
                        single[index++] = System.nanoTime() - s0;
                        if (turn.factId() != null) {
                            memoryOfFact.put(turn.factId(), r.id());
                        }
                    } else {
                        fresh.add(Remember.text(turn.text()));
                        freshTurns.add(turn);
                    }
                }
                List<RememberResult> results = store.rememberAll(fresh);
                for (int i = 0; i < results.size(); i++) {
                    if (freshTurns.get(i).factId() != null) {
                        memoryOfFact.put(freshTurns.get(i).factId(), results.get(i).id());
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "remember: %d turns in %.1f s = %.0f turns/s overall"
                            + " (single remember p50 %.1f ms over %d; the rest in one batch per session)%n",
                    fixture.turns().size(), seconds, fixture.turns().size() / seconds, p(single, 0.5), single.length);

            int hits = 0;
            int updateHits = 0;
            int updates = 0;
            long[] latency = new long[fixture.questions().size()];
            for (int q = 0; q < latency.length; q++) {
                ConversationFixture.Question question = fixture.questions().get(q);
                long s0 = System.nanoTime();
                List<Memory> top = store.recall(Recall.of(question.text(), 5));
                latency[q] = System.nanoTime() - s0;
                String want = memoryOfFact.get(question.factId());
                boolean hit = top.stream().anyMatch(m -> m.id().equals(want));
                hits += hit ? 1 : 0;
                if (question.kind().equals("knowledge-update")) {
                    updates++;
                    updateHits += hit ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "recall@5: %.3f (%d of %d); knowledge updates %d of %d;"
                            + " recall latency p50 %.2f ms, p99 %.2f ms (query embedding included), %d memories%n",
                    hits / (double) latency.length, hits, latency.length, updateHits, updates, p(latency, 0.5),
                    p(latency, 0.99), store.size());

            long p0 = System.nanoTime();
            IndexSnapshots.Published published = IndexSnapshots.publish(store);
            System.out.printf(Locale.ROOT, "publish index: %d files, %.1f MB in %.2f s%n", published.files(),
                    published.bytes() / 1e6, (System.nanoTime() - p0) / 1e9);
        }
        for (boolean fromSnapshot : new boolean[] {true, false}) {
            long c0 = System.nanoTime();
            try (MemoryStore fresh = MemoryStore.open(space, embedder,
                    MemoryOptions.DEFAULT.withDedup(DedupPolicy.DEFAULT).withColdStart(fromSnapshot))) {
                fresh.recall(Recall.of(fixture.questions().getFirst().text(), 5));
                System.out.printf(Locale.ROOT, "cold start %s: first recall after %.2f s (%d memories)%n",
                        fromSnapshot ? "from the published index" : "by replaying every commit",
                        (System.nanoTime() - c0) / 1e9, fresh.size());
            }
        }
    }

    static double p(long[] nanos, double quantile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }
}
