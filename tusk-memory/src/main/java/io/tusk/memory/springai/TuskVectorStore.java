package io.tusk.memory.springai;

import io.tusk.memory.MemoryStore;
import io.tusk.memory.Remember;
import io.tusk.memory.index.Hit;
import io.tusk.memory.index.RecallQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;

/**
 * A Spring AI {@link VectorStore} on a Tusk memory collection. Documents are memories under their own ids; their
 * embeddings come from the Spring AI {@link EmbeddingModel} given (as every Spring AI store does), from
 * {@link #add(List, List)} when the caller computed them, or else from the collection's own model. Scores are cosine
 * similarities, as Spring AI's stores report them; {@code similarityThreshold} applies to them. Thread-safe.
 */
public final class TuskVectorStore implements VectorStore {

    private final MemoryStore store;
    private final EmbeddingModel embeddingModel;

    /** @param embeddingModel Spring AI's model for documents and queries, or null for the collection's own */
    public TuskVectorStore(MemoryStore store, EmbeddingModel embeddingModel) {
        this.store = Objects.requireNonNull(store, "store");
        this.embeddingModel = embeddingModel;
    }

    @Override
    public String getName() {
        return "TuskVectorStore(" + store.name() + ")";
    }

    @Override
    public void add(List<Document> documents) {
        List<float[]> vectors = new ArrayList<>(documents.size());
        for (Document document : documents) {
            vectors.add(embed(textOf(document)));
        }
        add(documents, vectors);
    }

    /** Adds documents with precomputed embeddings (one per document, of the collection's dimension). */
    public void add(List<Document> documents, List<float[]> embeddings) {
        if (documents.size() != embeddings.size()) {
            throw new IllegalArgumentException(documents.size() + " documents but " + embeddings.size()
                    + " embeddings");
        }
        List<String> ids = new ArrayList<>(documents.size());
        List<Remember> memories = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            Document document = documents.get(i);
            ids.add(document.getId());
            memories.add(Remember.embedding(embeddings.get(i), textOf(document),
                    SpringAiMetadata.toMemory(document.getMetadata())));
        }
        store.put(ids, memories);
    }

    @Override
    public void delete(List<String> ids) {
        store.forgetAll(List.copyOf(ids));
    }

    @Override
    public void delete(Filter.Expression filterExpression) {
        Objects.requireNonNull(filterExpression, "filterExpression");
        store.forgetAll(store.ids(SpringAiFilters.toMemoryFilter(filterExpression)));
    }

    @Override
    public List<Document> similaritySearch(SearchRequest request) {
        // Spring AI thresholds are cosine similarities; the index scores (1 + cosine) / 2.
        RecallQuery query = RecallQuery.byVector(embed(request.getQuery()), request.getTopK())
                .withFilter(SpringAiFilters.toMemoryFilter(request.getFilterExpression()))
                .withMinScore((1 + request.getSimilarityThreshold()) / 2);
        List<Document> documents = new ArrayList<>();
        for (Hit hit : store.search(query, false, 0)) {
            double cosine = 2 * hit.score() - 1;
            Map<String, Object> metadata = new LinkedHashMap<>(hit.metadata());
            metadata.put("distance", 1 - cosine);
            documents.add(Document.builder().id(hit.id()).text(hit.text() == null ? "" : hit.text())
                    .metadata(metadata).score(cosine).build());
        }
        return documents;
    }

    private float[] embed(String text) {
        return embeddingModel != null ? embeddingModel.embed(text) : store.embedder().embed(text);
    }

    private static String textOf(Document document) {
        if (!document.isText()) {
            throw new IllegalArgumentException("document " + document.getId()
                    + " has media, not text: store its bytes with MemoryStore and a precomputed embedding");
        }
        return document.getText();
    }
}
