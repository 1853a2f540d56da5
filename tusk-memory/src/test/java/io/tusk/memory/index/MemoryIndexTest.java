package io.tusk.memory.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.memory.embedding.DimensionMismatchException;
import io.tusk.memory.embedding.EmbeddingSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recall index alone, with hand-made 4-dimensional vectors (no model): ranking, time, filters, persistence. */
class MemoryIndexTest {

    private static final EmbeddingSpec SPEC = new EmbeddingSpec("test-4d", 4);
    private static final long T0 = 1_700_000_000_000L;

    private MemoryIndex index;

    @BeforeEach
    void open() throws IOException {
        index = MemoryIndex.open(new ByteBuffersDirectory(), SPEC);
    }

    @AfterEach
    void close() throws IOException {
        index.close();
    }

    private static IndexedMemory memory(String id, long revision, String text, float[] vector, long time) {
        return new IndexedMemory(id, revision, text, vector, Map.of(), null, time, IndexedMemory.OPEN, time);
    }

    private static IndexChange.Put put(IndexedMemory memory) {
        return new IndexChange.Put(memory);
    }

    @Test
    void shouldRankByCosineWithLangChainRelevanceScores() {
        index.apply(1, List.of(
                put(memory("a", 1, "alpha", new float[] {1, 0, 0, 0}, T0)),
                put(memory("b", 1, "beta", new float[] {0.6f, 0.8f, 0, 0}, T0)),
                put(memory("c", 1, "gamma", new float[] {0, 0, 1, 0}, T0))));

        List<Hit> hits = index.search(RecallQuery.byVector(new float[] {1, 0, 0, 0}, 3));

        assertThat(hits).extracting(Hit::id).containsExactly("a", "b", "c");
        assertThat(hits.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(hits.get(1).score()).isCloseTo((1 + 0.6) / 2, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(hits.get(2).score()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
    }

    private static IndexedMemory hashed(String id, long revision, String text, String hash, float[] vector, long time) {
        return new IndexedMemory(id, revision, text, vector, Map.of(), hash, time, IndexedMemory.OPEN, time);
    }

    /**
     * Deduplication runs on every remember and must not need a refresh: what was put, superseded or forgotten since
     * the searcher was last refreshed counts exactly, before and after a search refreshes it.
     */
    @Test
    void shouldAnswerDedupLookupsExactlyWithoutARefresh() {
        index.apply(1, List.of(put(hashed("a", 1, "alpha", "h-alpha", new float[] {1, 0, 0, 0}, T0))));
        index.search(RecallQuery.byVector(new float[] {1, 0, 0, 0}, 1)); // refreshed: "a" is in the searcher
        index.apply(2, List.of(put(hashed("b", 1, "beta", "h-beta", new float[] {0, 1, 0, 0}, T0 + 1))));
        index.apply(3, List.of(put(hashed("a", 2, "alpha two", "h-alpha2", new float[] {0, 0, 1, 0}, T0 + 2))));

        assertThat(index.findByHash("h-beta")).containsExactly("b");
        assertThat(index.findByHash("h-alpha")).as("superseded since the refresh").isEmpty();
        assertThat(index.findByHash("h-alpha2")).containsExactly("a");
        assertThat(index.nearest(new float[] {1, 0, 0, 0}).orElseThrow().id())
                .as("the searcher's old revision of a is not current").isNotEqualTo("a");
        MemoryIndex.Nearest b = index.nearest(new float[] {0, 1, 0, 0}).orElseThrow();
        assertThat(b.id()).isEqualTo("b");
        assertThat(b.cosine()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(index.nearest(new float[] {0, 0, 1, 0}).orElseThrow().text()).isEqualTo("alpha two");

        index.apply(4, List.of(new IndexChange.Forget("b")));
        assertThat(index.findByHash("h-beta")).isEmpty();
        assertThat(index.nearest(new float[] {0, 1, 0, 0}).orElseThrow().id()).isEqualTo("a");
        // A search refreshes first: read-your-writes.
        assertThat(index.search(RecallQuery.byVector(new float[] {0, 1, 0, 0}, 5))).extracting(Hit::id)
                .containsExactly("a");
        assertThat(index.findByHash("h-alpha2")).containsExactly("a");
        assertThat(index.findByHash("h-beta")).isEmpty();
    }

    @Test
    void shouldLetExactWordsLiftAHitInHybridRanking() {
        index.apply(1, List.of(
                put(memory("near", 1, "my sister likes the sea", new float[] {1, 0.1f, 0, 0}, T0)),
                put(memory("named", 1, "Ingrid likes the mountains", new float[] {1, 0.3f, 0, 0}, T0))));
        float[] query = {1, 0, 0, 0};

        assertThat(index.search(RecallQuery.byVector(query, 2))).extracting(Hit::id).containsExactly("near", "named");
        assertThat(index.search(RecallQuery.hybrid("what does Ingrid like?", query, 2)))
                .extracting(Hit::id).containsExactly("named", "near");
        assertThat(index.search(new RecallQuery("Ingrid", null, 5, null, null, null, 0, 0)))
                .extracting(Hit::id).containsExactly("named");
    }

    @Test
    void shouldSearchTheWordsWhileTheVectorIsStillComputedAndRankAsWithTheVectorGiven() {
        index.apply(1, List.of(
                put(memory("near", 1, "my sister likes the sea", new float[] {1, 0.1f, 0, 0}, T0)),
                put(memory("named", 1, "Ingrid likes the mountains", new float[] {1, 0.3f, 0, 0}, T0)),
                put(memory("far", 1, "Ingrid owns a boat", new float[] {0, 0, 1, 0}, T0))));
        float[] query = {1, 0, 0, 0};
        List<Hit> given = index.search(RecallQuery.hybrid("what does Ingrid like?", query, 3));

        CompletableFuture<float[]> pending = new CompletableFuture<>();
        RecallQuery words = RecallQuery.hybrid("what does Ingrid like?", query, 3).withVector(null);
        CompletableFuture<List<Hit>> search = CompletableFuture.supplyAsync(() -> index.search(words, pending));
        pending.complete(query);

        assertThat(search.join()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(given);
        assertThat(given).extracting(Hit::id).containsExactly("named", "near", "far");
    }

    @Test
    void shouldFailASearchWhoseVectorCannotBeComputed() {
        index.apply(1, List.of(put(memory("a", 1, "Ingrid likes the sea", new float[] {1, 0, 0, 0}, T0))));
        RecallQuery words = new RecallQuery("Ingrid", null, 3, null, null, null, 0, RecallQuery.DEFAULT_TEXT_WEIGHT);

        assertThatThrownBy(() -> index.search(words,
                CompletableFuture.failedFuture(new IllegalStateException("the model is gone"))))
                .isInstanceOf(IllegalStateException.class).hasMessage("the model is gone");
        assertThatThrownBy(() -> index.search(words, CompletableFuture.completedFuture(new float[3])))
                .isInstanceOf(DimensionMismatchException.class);
        assertThatThrownBy(() -> index.search(RecallQuery.byVector(new float[4], 1), new CompletableFuture<>()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepSupersededRevisionsInHistoryWithClosedValidTime() {
        index.apply(1, List.of(put(memory("home", 1, "lives in Paris", new float[] {1, 0, 0, 0}, T0))));
        index.apply(2, List.of(put(memory("home", 2, "lives in Oslo", new float[] {0, 1, 0, 0}, T0 + 1000))));
        float[] query = {1, 1, 0, 0};

        assertThat(index.search(RecallQuery.byVector(query, 5))).extracting(Hit::text).containsExactly("lives in Oslo");
        assertThat(index.search(RecallQuery.byVector(query, 5).withAsOf(T0 + 500)))
                .extracting(Hit::text).containsExactly("lives in Paris");
        assertThat(index.search(RecallQuery.byVector(query, 5).withAsOf(T0 - 1))).isEmpty();
        List<Hit> history = index.history("home");
        assertThat(history).extracting(Hit::revision).containsExactly(1L, 2L);
        assertThat(history.get(0).validTo()).isEqualTo(T0 + 1000);
        assertThat(history.get(0).recordedTo()).isEqualTo(T0 + 1000);
        assertThat(history.get(1).current()).isTrue();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void shouldFilterByValidTime() {
        index.apply(1, List.of(
                put(new IndexedMemory("job1", 1, "worked at Acme", new float[] {1, 0, 0, 0}, Map.of(), null,
                        T0, T0 + 10_000, T0)),
                put(memory("job2", 1, "works at Initech", new float[] {1, 0, 0, 0}, T0 + 10_000))));
        float[] query = {1, 0, 0, 0};

        assertThat(index.search(RecallQuery.byVector(query, 5).withValidAt(T0 + 5_000)))
                .extracting(Hit::id).containsExactly("job1");
        assertThat(index.search(RecallQuery.byVector(query, 5).withValidAt(T0 + 20_000)))
                .extracting(Hit::id).containsExactly("job2");
    }

    @Test
    void shouldForgetEveryRevision() {
        index.apply(1, List.of(put(memory("x", 1, "secret", new float[] {1, 0, 0, 0}, T0))));
        index.apply(2, List.of(put(memory("x", 2, "secret v2", new float[] {1, 0, 0, 0}, T0 + 1))));
        index.apply(3, List.of(new IndexChange.Forget("x")));

        assertThat(index.history("x")).isEmpty();
        assertThat(index.search(RecallQuery.byVector(new float[] {1, 0, 0, 0}, 5).withAsOf(T0 + 1))).isEmpty();
        assertThat(index.search(new RecallQuery("secret", null, 5, null, T0, null, 0, 0))).isEmpty();
        assertThat(index.contains("x")).isFalse();
    }

    @Test
    void shouldFilterMetadataWithLangChainMeaning() {
        index.apply(1, List.of(
                put(new IndexedMemory("i2", 1, null, new float[] {1, 0, 0, 0}, Map.of("age", 2), null, T0,
                        IndexedMemory.OPEN, T0)),
                put(new IndexedMemory("d17", 1, null, new float[] {1, 0, 0, 0}, Map.of("age", 1.7d), null, T0,
                        IndexedMemory.OPEN, T0)),
                put(new IndexedMemory("l1", 1, null, new float[] {1, 0, 0, 0}, Map.of("age", 1L, "name", "Klaus"),
                        null, T0, IndexedMemory.OPEN, T0)),
                put(new IndexedMemory("none", 1, null, new float[] {1, 0, 0, 0}, Map.of("name", "Alice"), null, T0,
                        IndexedMemory.OPEN, T0))));
        float[] query = {1, 0, 0, 0};

        assertThat(ids(MemoryFilter.gt("age", 1.5f))).containsExactlyInAnyOrder("i2", "d17");
        assertThat(ids(MemoryFilter.eq("age", 1.0d))).containsExactly("l1");
        assertThat(ids(MemoryFilter.lte("age", 1))).containsExactly("l1");
        assertThat(ids(MemoryFilter.notEqual("age", 2))).containsExactlyInAnyOrder("d17", "l1", "none");
        assertThat(ids(MemoryFilter.gte("name", "B"))).containsExactly("l1");
        assertThat(ids(new MemoryFilter.Contains("name", "lic"))).containsExactly("none");
        assertThat(ids(MemoryFilter.notIn("name", List.of("Klaus", "Alice")))).containsExactlyInAnyOrder("i2", "d17");
        assertThat(index.search(RecallQuery.byVector(query, 10).withFilter(MemoryFilter.eq("name", "Klaus"))))
                .extracting(Hit::id).containsExactly("l1");
    }

    private List<String> ids(MemoryFilter filter) {
        return index.currentIds(filter);
    }

    @Test
    void shouldRefuseAVectorOfAnotherDimension() {
        assertThatThrownBy(() -> index.apply(1, List.of(put(memory("a", 1, "x", new float[] {1, 0, 0}, T0)))))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageContaining("fixes embedding dimension 4").hasMessageContaining("dimension 3 was refused");
        assertThatThrownBy(() -> index.search(RecallQuery.byVector(new float[8], 1)))
                .isInstanceOf(DimensionMismatchException.class);
        assertThat(index.sequence()).isZero();
    }

    @Test
    void shouldSettleTheSegmentsOfABulkLoad() throws IOException {
        int commits = 12;
        for (int c = 1; c <= commits; c++) {
            index.apply(c, List.of(put(memory("m" + c, 1, "fact number " + c, new float[] {1, c, 0, 0}, T0))));
            index.segmentCount(); // a search's refresh flushes each commit into a segment of its own
        }

        index.awaitMerges();

        // Up to a dozen segments before, merging in the background; the merge policy keeps two per tier.
        assertThat(index.segmentCount()).isLessThanOrEqualTo(3);
        assertThat(index.search(RecallQuery.byVector(new float[] {1, 12, 0, 0}, 1))).extracting(Hit::id)
                .containsExactly("m12");
    }

    @Test
    void shouldIgnoreReplayedCommits() {
        assertThat(index.apply(1, List.of(put(memory("a", 1, "x", new float[] {1, 0, 0, 0}, T0))))).isTrue();
        assertThat(index.apply(1, List.of(put(memory("b", 1, "y", new float[] {1, 0, 0, 0}, T0))))).isFalse();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void shouldColdStartFromCopiedSnapshotFiles(@TempDir Path temp) throws IOException {
        Random random = new Random(1);
        try (MemoryIndex source = MemoryIndex.open(FSDirectory.open(temp.resolve("a")), SPEC)) {
            for (int seq = 1; seq <= 20; seq++) {
                float[] v = {random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat()};
                source.apply(seq, List.of(put(memory("m" + (seq % 7), seq, "fact " + seq, v, T0 + seq))));
            }
            Files.createDirectories(temp.resolve("b"));
            try (MemoryIndex.Snapshot snapshot = source.snapshot();
                 FSDirectory target = FSDirectory.open(temp.resolve("b"))) {
                assertThat(snapshot.sequence()).isEqualTo(20);
                for (String file : snapshot.files()) {
                    target.copyFrom(snapshot.directory(), file, file, IOContext.DEFAULT);
                }
            }
            float[] query = {0.5f, 0.5f, 0.5f, 0.5f};
            List<Hit> expected = source.search(RecallQuery.byVector(query, 5));
            try (MemoryIndex copy = MemoryIndex.open(FSDirectory.open(temp.resolve("b")), SPEC)) {
                assertThat(copy.sequence()).isEqualTo(20);
                assertThat(copy.size()).isEqualTo(7);
                assertThat(copy.search(RecallQuery.byVector(query, 5))).extracting(Hit::id, Hit::revision)
                        .containsExactlyElementsOf(expected.stream()
                                .map(h -> org.assertj.core.groups.Tuple.tuple(h.id(), h.revision())).toList());
                // The copy keeps following: a new revision supersedes the restored current one.
                copy.apply(21, List.of(put(memory("m1", 21, "fact 21", query, T0 + 21))));
                assertThat(copy.history("m1").getLast().current()).isTrue();
                assertThat(copy.history("m1").get(copy.history("m1").size() - 2).current()).isFalse();
            }
        }
    }

    @Test
    void shouldRefuseAnIndexOfAnotherModel(@TempDir Path temp) throws IOException {
        try (MemoryIndex source = MemoryIndex.open(FSDirectory.open(temp), SPEC)) {
            source.apply(1, List.of(put(memory("a", 1, "x", new float[] {1, 0, 0, 0}, T0))));
        }
        assertThatThrownBy(() -> MemoryIndex.open(FSDirectory.open(temp), new EmbeddingSpec("other", 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model test-4d");
    }
}
