package io.tusk.memory.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.memory.DedupPolicy;
import io.tusk.memory.InMemorySpace;
import io.tusk.memory.MemoryOptions;
import io.tusk.memory.MemoryStore;
import io.tusk.memory.TestEmbedders;
import io.tusk.memory.embedding.DimensionMismatchException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.test.vectorstore.BaseVectorStoreTests;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;

/**
 * Spring AI's own base suite for vector stores ({@code BaseVectorStoreTests} from {@code spring-ai-test} 2.0.1:
 * delete by ids, by filter expression and by filter text), plus search with filters, scores and precomputed vectors.
 */
class TuskVectorStoreTest extends BaseVectorStoreTests {

    private static MemoryStore newStore() {
        return MemoryStore.open(new InMemorySpace("spring", true), TestEmbedders.local(),
                MemoryOptions.DEFAULT.withDedup(DedupPolicy.OFF));
    }

    @Override
    protected void executeTest(Consumer<VectorStore> testFunction) {
        try (MemoryStore store = newStore()) {
            testFunction.accept(new TuskVectorStore(store, null));
        }
    }

    @Test
    void shouldSearchWithPortableFiltersAndCosineScores() {
        try (MemoryStore store = newStore()) {
            TuskVectorStore vectors = new TuskVectorStore(store, null);
            vectors.add(List.of(
                    new Document("a", "Sofia Bulgaria capital city facts", Map.of("country", "BG", "year", 2020)),
                    new Document("b", "Amsterdam canals and bicycles", Map.of("country", "NL")),
                    new Document("c", "Plovdiv old town in Bulgaria", Map.of("country", "BG", "year", 2023))));

            List<Document> bulgaria = vectors.similaritySearch(SearchRequest.builder().query("Bulgaria").topK(5)
                    .filterExpression("country == 'BG' && year >= 2021").build());
            assertThat(bulgaria).extracting(Document::getId).containsExactly("c");
            assertThat(bulgaria.getFirst().getScore()).isBetween(0.0, 1.0);

            List<Document> noYear = vectors.similaritySearch(SearchRequest.builder().query("city").topK(5)
                    .filterExpression("year IS NULL").build());
            assertThat(noYear).extracting(Document::getId).containsExactly("b");

            List<Document> all = vectors.similaritySearch(SearchRequest.builder().query("Sofia capital").topK(3)
                    .similarityThresholdAll().build());
            assertThat(all.getFirst().getId()).isEqualTo("a");
            double threshold = all.get(1).getScore() + 1e-6;
            assertThat(vectors.similaritySearch(SearchRequest.builder().query("Sofia capital").topK(3)
                    .similarityThreshold(threshold).build())).extracting(Document::getId).containsExactly("a");
        }
    }

    @Test
    void shouldTakePrecomputedEmbeddingsOfTheCollectionsDimensionOnly() {
        try (MemoryStore store = newStore()) {
            TuskVectorStore vectors = new TuskVectorStore(store, null);
            float[] own = TestEmbedders.local().embed("precomputed");
            vectors.add(List.of(new Document("p", "precomputed", Map.of())), List.of(own));
            assertThat(vectors.similaritySearch("precomputed")).extracting(Document::getId).containsExactly("p");
            assertThatThrownBy(() -> vectors.add(List.of(new Document("q", "wrong", Map.of())),
                    List.of(new float[1536]))).isInstanceOf(DimensionMismatchException.class)
                    .hasMessageContaining("1536");
        }
    }
}
