package io.tusk.memory.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import io.tusk.memory.MemoryStore;
import io.tusk.memory.Remember;
import io.tusk.memory.index.Hit;
import io.tusk.memory.index.RecallQuery;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A LangChain4j {@link EmbeddingStore} on a Tusk memory collection: each embedding is a memory (its segment's text
 * and metadata included), stored in the collection's space, searchable at once (every add waits for the index), with
 * metadata filters and removal. Scores are LangChain4j's relevance, {@code (1 + cosine) / 2}.
 *
 * <p>Open the {@link MemoryStore} with {@code DedupPolicy.OFF}: LangChain4j callers name and count their embeddings
 * themselves. Thread-safe.
 */
public final class TuskEmbeddingStore implements EmbeddingStore<TextSegment> {

    private final MemoryStore store;

    public TuskEmbeddingStore(MemoryStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    public MemoryStore memoryStore() {
        return store;
    }

    @Override
    public String add(Embedding embedding) {
        String id = UUID.randomUUID().toString();
        add(id, embedding);
        return id;
    }

    @Override
    public void add(String id, Embedding embedding) {
        addAll(List.of(id), List.of(embedding), null);
    }

    @Override
    public String add(Embedding embedding, TextSegment segment) {
        String id = UUID.randomUUID().toString();
        addAll(List.of(id), List.of(embedding), segment == null ? null : List.of(segment));
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = generateIds(embeddings.size());
        addAll(ids, embeddings, null);
        return ids;
    }

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(embeddings, "embeddings");
        if (ids.size() != embeddings.size() || (segments != null && segments.size() != ids.size())) {
            throw new IllegalArgumentException("addAll needs as many ids, embeddings and segments: " + ids.size()
                    + ", " + embeddings.size() + ", " + (segments == null ? "none" : segments.size()));
        }
        List<Remember> memories = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            TextSegment segment = segments == null ? null : segments.get(i);
            Map<String, Object> metadata = segment == null ? Map.of() : segment.metadata().toMap();
            memories.add(Remember.embedding(embeddings.get(i).vector(), segment == null ? null : segment.text(),
                    metadata));
        }
        store.put(ids, memories);
    }

    @Override
    public void remove(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id cannot be null or blank");
        }
        store.forgetAll(List.of(id));
    }

    @Override
    public void removeAll(Collection<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new IllegalArgumentException("ids cannot be null or empty");
        }
        store.forgetAll(List.copyOf(ids));
    }

    @Override
    public void removeAll(Filter filter) {
        if (filter == null) {
            throw new IllegalArgumentException("filter cannot be null");
        }
        store.forgetAll(store.ids(LangChainFilters.toMemoryFilter(filter)));
    }

    @Override
    public void removeAll() {
        store.forgetAll(store.ids(null));
    }

    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        RecallQuery query = RecallQuery.byVector(request.queryEmbedding().vector(), request.maxResults())
                .withFilter(LangChainFilters.toMemoryFilter(request.filter()))
                .withMinScore(request.minScore());
        List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>();
        for (Hit hit : store.search(query, true, 0)) {
            TextSegment segment = hit.text() == null ? null : TextSegment.from(hit.text(), new Metadata(hit.metadata()));
            matches.add(new EmbeddingMatch<>(hit.score(), hit.id(), new Embedding(hit.vector()), segment));
        }
        return new EmbeddingSearchResult<>(matches);
    }
}
