package io.tusk.memory.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;
import io.tusk.memory.DedupPolicy;
import io.tusk.memory.InMemorySpace;
import io.tusk.memory.MemoryOptions;
import io.tusk.memory.MemoryStore;
import io.tusk.memory.TestEmbedders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** LangChain4j's own abstract removal suite ({@code EmbeddingStoreWithRemovalIT}, 1.19.0 test-jar), unmodified. */
class TuskEmbeddingStoreRemovalTest extends EmbeddingStoreWithRemovalIT {

    private MemoryStore store;
    private TuskEmbeddingStore embeddingStore;

    @BeforeEach
    void openStore() {
        // A fresh collection per test: the suite expects an empty store at the start of each.
        store = MemoryStore.open(new InMemorySpace("lc4j-removal", true), TestEmbedders.local(),
                MemoryOptions.DEFAULT.withDedup(DedupPolicy.OFF));
        embeddingStore = new TuskEmbeddingStore(store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return embeddingStore;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return TestEmbedders.local().model();
    }
}
