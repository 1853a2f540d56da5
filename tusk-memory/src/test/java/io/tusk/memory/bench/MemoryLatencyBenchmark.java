package io.tusk.memory.bench;

import io.tusk.memory.DedupPolicy;
import io.tusk.memory.Memory;
import io.tusk.memory.MemoryOptions;
import io.tusk.memory.MemoryStore;
import io.tusk.memory.Recall;
import io.tusk.memory.Remember;
import io.tusk.memory.embedding.Embedder;
import io.tusk.memory.index.RecallQuery;
import io.tusk.memory.space.TuskMemorySpace;
import io.tusk.spaces.Spaces;
import io.tusk.spaces.SpacesOptions;
import io.tusk.testkit.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latency targets on a devnet-shaped network in this process (4 storage nodes on RocksDB, real HTTP, the
 * control plane on Ratis; {@code shards} shards): remember of a small text one at a time (embedding, dedup lookups,
 * the space commit and the index update), the embedding alone, and batch throughput. Then recall, warm, at
 * {@code memories} memories of precomputed MiniLM vectors (cached by {@link VectorIndexBenchmark}, embedded here if
 * absent): the whole call (query embedding included) and its parts, for two sets of questions: the facts restated
 * as questions (20-30 tokens) and the long-conversation fixture's (an agent's questions, 10-15 tokens).
 *
 * <pre>
 * java -Xmx6g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$CP" \
 *   io.tusk.memory.bench.MemoryLatencyBenchmark /tmp/memory/bench 100 100000 300 100
 * </pre>
 * Arguments: work directory (vector cache), shards of the devnet, memories for recall (0: skip), recall queries,
 * single remembers on the devnet (0: skip).
 */
public final class MemoryLatencyBenchmark {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/memory/bench");
        int shards = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int memories = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int queries = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        int singles = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        Files.createDirectories(dir);
        Embedder embedder = Embedder.local();
        if (singles > 0) {
            rememberOnDevnet(embedder, shards, singles);
        }
        if (memories > 0) {
            recallAt(dir, embedder, memories, queries);
        }
    }

    static void rememberOnDevnet(Embedder embedder, int shards, int singles) throws Exception {
        try (TestCluster cluster = TestCluster.start(4, shards);
             Spaces spaces = new Spaces(cluster.client(), SpacesOptions.defaults().withEpochs(3))) {
            MemoryStore store = MemoryStore.open(TuskMemorySpace.openOrCreate(spaces, "latency", true), embedder,
                    MemoryOptions.DEFAULT);
            List<String> texts = SyntheticFacts.generate(2 * singles + 1000, 99);
            for (int i = 0; i < 20; i++) { // JIT and model warm-up, and the first commits' one-time costs
                store.remember(Remember.text(texts.get(texts.size() - 1 - i)));
            }
            long[] embed = new long[singles];
            long[] remember = new long[singles];
            for (int i = 0; i < singles; i++) {
                long e0 = System.nanoTime();
                embedder.embed(texts.get(singles + i));
                embed[i] = System.nanoTime() - e0;
                long r0 = System.nanoTime();
                store.remember(Remember.text(texts.get(i)));
                remember[i] = System.nanoTime() - r0;
            }
            System.out.printf(Locale.ROOT, "remember one small text (%d, encrypted space, %d shards): p50 %.1f ms,"
                    + " p90 %.1f ms; of which embedding alone p50 %.1f ms%n", singles, shards, p(remember, 0.5),
                    p(remember, 0.9), p(embed, 0.5));

            List<Remember> batch = new ArrayList<>();
            for (String t : texts.subList(2 * singles, 2 * singles + 500)) {
                batch.add(Remember.text(t));
            }
            long b0 = System.nanoTime();
            store.rememberAll(batch);
            double batchSeconds = (System.nanoTime() - b0) / 1e9;
            System.out.printf(Locale.ROOT, "remember a batch of %d texts: %.2f s = %.1f ms per memory%n",
                    batch.size(), batchSeconds, batchSeconds * 1000 / batch.size());
            store.close();
        }
    }

    /**
     * Recall served from a warm index of {@code memories} memories. Recall reads only the index in this process (the
     * space is read when other writers' commits are caught up), so the collection is filled on an in-process space:
     * what is measured is the same, without committing 100,000 memories through the network first.
     */
    static void recallAt(Path dir, Embedder embedder, int memories, int queries) throws Exception {
        List<String> facts = SyntheticFacts.generate(memories, 42);
        Path cache = dir.resolve("facts-" + memories + ".f32");
        // "random": seeded clustered random vectors instead of embedding (a quick profile, not a figure to report)
        float[][] vectors = Boolean.getBoolean("bench.randomVectors") && !Files.exists(cache)
                ? randomVectors(memories, embedder.spec().dimension())
                : VectorIndexBenchmark.vectors(cache, facts);
        try (MemoryStore big = MemoryStore.open(new io.tusk.memory.InMemorySpace("recall-" + memories, false),
                embedder, MemoryOptions.DEFAULT.withDedup(DedupPolicy.OFF))) {
            long f0 = System.nanoTime();
            int chunk = 2000;
            for (int start = 0; start < memories; start += chunk) {
                List<Remember> part = new ArrayList<>(chunk);
                for (int i = start; i < Math.min(memories, start + chunk); i++) {
                    part.add(Remember.embedding(vectors[i], facts.get(i), Map.of("n", (long) i)));
                }
                big.rememberAll(part);
            }
            System.out.printf(Locale.ROOT, "filled %d memories in %.1f s (batches of %d with vectors)%n",
                    big.size(), (System.nanoTime() - f0) / 1e9, chunk);
            // A warm collection's index has settled: the fill's segments are merged in the background over the next
            // minute, and measuring meanwhile would time those merges (and a dozen segments) instead of recall.
            int filledSegments = big.index().segmentCount();
            long m0 = System.nanoTime();
            big.index().awaitMerges();
            System.out.printf(Locale.ROOT, "background merges: %d segments -> %d in %.1f s%n", filledSegments,
                    big.index().segmentCount(), (System.nanoTime() - m0) / 1e9);

            List<String> questions = VectorIndexBenchmark.questions(1000);
            Path queryCache = dir.resolve("queries-1000.f32");
            float[][] queryVectors = Boolean.getBoolean("bench.randomVectors") && !Files.exists(queryCache)
                    ? randomVectors(1000, embedder.spec().dimension())
                    : VectorIndexBenchmark.vectors(queryCache, questions);
            measureRecall(big, embedder, "the facts as questions", questions, queryVectors, queries);
            // An agent's questions are shorter than a whole fact restated (about half the tokens, and the embedding's
            // time grows with them): the long-conversation fixture's, as MemoryRecallBenchmark asks them.
            List<String> asked = ConversationFixture.generate(100, 4, 8, 0.2, 12).questions().stream()
                    .map(ConversationFixture.Question::text).toList();
            measureRecall(big, embedder, "an agent's questions (ConversationFixture)", asked,
                    embedder.embedAll(asked).toArray(new float[0][]), queries);
        }
    }

    /**
     * Recall of {@code queries} questions (cycling through {@code questions}, whose vectors are given), after 200 to
     * warm the searcher, the JIT and the page cache: the whole call and its parts, interleaved per question.
     */
    private static void measureRecall(MemoryStore big, Embedder embedder, String label, List<String> questions,
                                      float[][] queryVectors, int queries) {
        for (int q = 0; q < 200; q++) {
            big.recall(Recall.of(questions.get(q % questions.size()), 10));
        }
        long[] full = new long[queries];
        long[] hybrid = new long[queries];
        long[] vectorOnly = new long[queries];
        long[] embed = new long[queries];
        for (int q = 0; q < queries; q++) {
            String question = questions.get(q % questions.size());
            float[] vector = queryVectors[q % questions.size()];
            long s0 = System.nanoTime();
            List<Memory> hits = big.recall(Recall.of(question, 10));
            full[q] = System.nanoTime() - s0;
            if (hits.isEmpty()) {
                throw new IllegalStateException("no hit for " + question);
            }
            long s1 = System.nanoTime();
            big.recall(new Recall(question, vector, 10, null, null, null, 0, 0));
            hybrid[q] = System.nanoTime() - s1;
            long s2 = System.nanoTime();
            big.search(RecallQuery.byVector(vector, 10), false, 0);
            vectorOnly[q] = System.nanoTime() - s2;
            long s3 = System.nanoTime();
            embedder.embed(question);
            embed[q] = System.nanoTime() - s3;
        }
        System.out.printf(Locale.ROOT, "recall at %d memories, top 10, warm, %s (%d queries, %d index segments):"
                        + " whole call p50 %.2f ms p99 %.2f ms; query embedding alone p50 %.2f ms;"
                        + " hybrid search given the query vector p50 %.2f ms p99 %.2f ms;"
                        + " vector-only search p50 %.2f ms%n", big.size(), label, queries,
                big.index().segmentCount(), p(full, 0.5), p(full, 0.99), p(embed, 0.5), p(hybrid, 0.5),
                p(hybrid, 0.99), p(vectorOnly, 0.5));
    }

    private static float[][] randomVectors(int count, int dimension) {
        java.util.Random random = new java.util.Random(42);
        float[][] centers = new float[64][dimension];
        for (float[] c : centers) {
            for (int i = 0; i < dimension; i++) {
                c[i] = (float) random.nextGaussian();
            }
        }
        float[][] out = new float[count][dimension];
        for (int r = 0; r < count; r++) {
            float[] c = centers[random.nextInt(centers.length)];
            for (int i = 0; i < dimension; i++) {
                out[r][i] = c[i] + 0.6f * (float) random.nextGaussian();
            }
        }
        return out;
    }

    static double p(long[] nanos, double quantile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }
}
