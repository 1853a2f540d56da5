package io.tusk.memory.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.tusk.memory.TestEmbedders;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The default model runs LangChain4j's bundled MiniLM in a session of its own options: its vectors must stay those of
 * LangChain4j's model, or collections written before would be searched with vectors of another space.
 */
class LocalMiniLmTest {

    private static final List<String> TEXTS = List.of("My sister Anna just moved to Lisbon.",
            "Which city does my sister Anna live in now?", "I'm allergic to peanuts, it makes me really sick.",
            "a", "Explain compound interest like I'm twelve. ".repeat(40));

    @Test
    void shouldGiveTheVectorsOfLangChain4jsModel() throws Exception {
        AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
        Embedder local = TestEmbedders.local();
        assertThat(local.spec()).isEqualTo(new EmbeddingSpec(Embedder.LOCAL_MODEL, 384));
        assertThat(local.model().dimension()).isEqualTo(384);
        List<float[]> batch = local.embedAll(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] expected = reference.embed(TEXTS.get(i)).content().vector();
            assertThat(local.embed(TEXTS.get(i))).as(TEXTS.get(i)).containsExactly(expected,
                    org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(batch.get(i)).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(local.embedAsync(TEXTS.get(i)).get()).containsExactly(expected,
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void shouldFailTheFutureOfABadText() {
        Embedder failing = new Embedder(new AllMiniLmL6V2QuantizedEmbeddingModel(), new EmbeddingSpec("other", 512));
        assertThat(failing.embedAsync("some words")).failsWithin(java.time.Duration.ofSeconds(60))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(DimensionMismatchException.class);
    }
}
