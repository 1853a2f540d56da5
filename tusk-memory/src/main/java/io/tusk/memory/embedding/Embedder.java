package io.tusk.memory.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Turns text into vectors with a LangChain4j {@link EmbeddingModel} and checks every vector against the model's
 * {@link EmbeddingSpec}. Thread-safe when the model is (the bundled ONNX models are).
 */
public final class Embedder {

    /** Name recorded for the default model. */
    public static final String LOCAL_MODEL = "all-minilm-l6-v2-q";

    /**
     * Embeds recall queries beside the caller's own work ({@link #embedAsync}): daemon threads, one per core, shared
     * by every embedder of the process.
     */
    private static final Executor QUERIES = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
            Thread.ofPlatform().name("tusk-embed-", 0).daemon(true).factory());

    private final EmbeddingModel model;
    private final EmbeddingSpec spec;

    public Embedder(EmbeddingModel model, EmbeddingSpec spec) {
        this.model = Objects.requireNonNull(model, "model");
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /**
     * Any LangChain4j model: its name is {@code name} and its dimension is asked from the model (which may embed a
     * probe text to learn it).
     */
    public static Embedder of(EmbeddingModel model, String name) {
        return new Embedder(model, new EmbeddingSpec(name, model.dimension()));
    }

    /**
     * The default: quantized all-MiniLM-L6-v2 (384 dimensions) in this process over ONNX Runtime; the weights ship in
     * the Maven package, so nothing is downloaded and no service is called. Loading takes a second or two.
     */
    public static Embedder local() {
        return new Embedder(new LocalMiniLm(), new EmbeddingSpec(LOCAL_MODEL, 384));
    }

    public EmbeddingSpec spec() {
        return spec;
    }

    public EmbeddingModel model() {
        return model;
    }

    public float[] embed(String text) {
        Objects.requireNonNull(text, "text");
        return spec.check(model.embed(text).content().vector());
    }

    /**
     * Starts embedding {@code text} on another thread, so that the caller can search by its words meanwhile (a
     * hybrid recall's BM25 part needs no vector).
     */
    public CompletableFuture<float[]> embedAsync(String text) {
        Objects.requireNonNull(text, "text");
        return CompletableFuture.supplyAsync(() -> embed(text), QUERIES);
    }

    /** Embeds a batch in one call to the model (the ONNX models spread a batch over the cores). */
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) {
            segments.add(TextSegment.from(Objects.requireNonNull(text, "text")));
        }
        List<Embedding> embeddings = model.embedAll(segments).content();
        if (embeddings.size() != texts.size()) {
            throw new IllegalStateException(
                    "model " + spec.model() + " returned " + embeddings.size() + " vectors for " + texts.size() + " texts");
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(spec.check(embedding.vector()));
        }
        return vectors;
    }
}
