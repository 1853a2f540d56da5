package io.tusk.memory.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import io.tusk.memory.DedupPolicy;
import io.tusk.memory.InMemorySpace;
import io.tusk.memory.MemoryOptions;
import io.tusk.memory.MemoryStore;
import io.tusk.memory.TestEmbedders;
import org.junit.jupiter.api.AfterAll;

/**
 * LangChain4j's own abstract suite for stores with metadata filtering ({@code EmbeddingStoreWithFilteringIT}, which
 * includes {@code EmbeddingStoreIT} and {@code EmbeddingStoreWithoutMetadataIT}), from the {@code langchain4j-core}
 * 1.19.0 test-jar, unmodified. Only the hooks are set: the store, the model, and that {@code containsString} works.
 */
class TuskEmbeddingStoreTest extends EmbeddingStoreWithFilteringIT {

    private static final MemoryStore STORE = MemoryStore.open(new InMemorySpace("lc4j", false),
            TestEmbedders.local(), MemoryOptions.DEFAULT.withDedup(DedupPolicy.OFF));
    private static final TuskEmbeddingStore EMBEDDING_STORE = new TuskEmbeddingStore(STORE);

    @AfterAll
    static void closeStore() {
        STORE.close();
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return EMBEDDING_STORE;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return TestEmbedders.local().model();
    }

    /** The suite leaves emptying the store between tests to the implementation. */
    @Override
    protected void clearStore() {
        EMBEDDING_STORE.removeAll();
    }

    @Override
    protected boolean supportsContains() {
        return true;
    }
}
