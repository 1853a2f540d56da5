package io.tusk.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.memory.embedding.DimensionMismatchException;
import io.tusk.memory.embedding.Embedder;
import io.tusk.memory.embedding.EmbeddingSpec;
import io.tusk.memory.index.MemoryFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The memory model on a space, with the real local embedding model. */
class MemoryStoreTest {

    private InMemorySpace space;
    private MemoryStore store;

    @BeforeEach
    void open() {
        space = new InMemorySpace("agent", true);
        store = MemoryStore.open(space, TestEmbedders.local(), MemoryOptions.DEFAULT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void shouldRecallByMeaning() {
        store.rememberAll(List.of(
                Remember.text("Maya's sister lives in Lisbon and works as a nurse."),
                Remember.text("The quarterly report is due on Friday."),
                Remember.text("Liam is allergic to peanuts.")));

        List<Memory> recalled = store.recall(Recall.of("Which food must I avoid when cooking for Liam?", 3));

        assertThat(recalled.getFirst().text()).isEqualTo("Liam is allergic to peanuts.");
        assertThat(recalled.getFirst().score()).isGreaterThan(recalled.get(1).score());
    }

    @Test
    void shouldMergeExactAndNearDuplicates() {
        RememberResult first = store.remember(Remember.text("I live in Paris"));
        RememberResult exact = store.remember(Remember.text("I live in Paris"));
        RememberResult near = store.remember(Remember.text("I live in Paris."));
        RememberResult other = store.remember(Remember.text("My dog is called Rex"));

        assertThat(exact.deduplicated()).isTrue();
        assertThat(exact.id()).isEqualTo(first.id());
        assertThat(near.deduplicated()).isTrue();
        assertThat(near.id()).isEqualTo(first.id());
        assertThat(other.deduplicated()).isFalse();
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void shouldStoreDuplicatesTwiceWhenDedupIsOff() {
        try (MemoryStore plain = MemoryStore.open(new InMemorySpace("plain", false), TestEmbedders.local(),
                MemoryOptions.DEFAULT.withDedup(DedupPolicy.OFF))) {
            List<RememberResult> results = plain.rememberAll(List.of(Remember.text("same"), Remember.text("same")));
            assertThat(results).extracting(RememberResult::deduplicated).containsExactly(false, false);
            assertThat(plain.size()).isEqualTo(2);
        }
    }

    @Test
    void shouldSupersedeAndRecallAsOfThePast() throws InterruptedException {
        RememberResult home = store.remember(Remember.text("Maya lives in Paris."));
        Instant beforeMove = store.get(home.id()).orElseThrow().recordedAt();
        Thread.sleep(5);
        long moved = store.update(home.id(), Remember.text("Maya lives in Oslo."));

        assertThat(moved).isGreaterThan(home.sequence());
        assertThat(store.recall(Recall.of("Where does Maya live?", 5))).extracting(Memory::text)
                .containsExactly("Maya lives in Oslo.");
        assertThat(store.recall(Recall.of("Where does Maya live?", 5).asOf(beforeMove))).extracting(Memory::text)
                .containsExactly("Maya lives in Paris.");
        List<Memory> history = store.history(home.id());
        assertThat(history).extracting(Memory::text).containsExactly("Maya lives in Paris.", "Maya lives in Oslo.");
        assertThat(history.get(0).validTo()).isEqualTo(history.get(1).validFrom());
        assertThat(history.get(0).recordedTo()).isNotNull();
        assertThat(history.get(1).current()).isTrue();
    }

    @Test
    void shouldForgetSoThatNothingRecallsItAndAFreshIndexCannotRebuildIt() {
        RememberResult secret = store.remember(new Remember("my bank PIN is 4321", "pin".getBytes(), "text/plain",
                Map.of(), null, null, null));
        store.remember(Remember.text("I like green tea"));
        store.forget(secret.id());

        assertThat(store.recall(Recall.of("bank PIN", 10))).extracting(Memory::id).doesNotContain(secret.id());
        assertThat(store.history(secret.id())).isEmpty();
        assertThat(store.content(secret.id())).isEmpty();
        assertThatThrownBy(() -> store.forget(secret.id())).isInstanceOf(MemoryNotFoundException.class);
        try (MemoryStore rebuilt = MemoryStore.open(space, TestEmbedders.local(), MemoryOptions.DEFAULT)) {
            assertThat(rebuilt.size()).isEqualTo(1);
            assertThat(rebuilt.recall(Recall.of("bank PIN", 10))).extracting(Memory::text)
                    .containsExactly("I like green tea");
        }
    }

    @Test
    void shouldFixTheCollectionsModelAndDimension() {
        long head = space.headVersion();
        assertThatThrownBy(() -> store.remember(Remember.text("x").withEmbedding(new float[768])))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageContaining("fixes embedding dimension 384").hasMessageContaining("768");
        assertThat(space.headVersion()).isEqualTo(head);

        Embedder other = new Embedder(TestEmbedders.local().model(), new EmbeddingSpec("another-model", 384));
        assertThatThrownBy(() -> MemoryStore.open(space, other, MemoryOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all-minilm-l6-v2-q");
    }

    @Test
    void shouldFilterByMetadataAndValidTime() {
        Instant jan = Instant.parse("2024-01-01T00:00:00Z");
        Instant jun = Instant.parse("2024-06-01T00:00:00Z");
        store.rememberAll(List.of(
                new Remember("Works at Acme as a designer", null, null, Map.of("user", "maya"), null, jan, jun),
                new Remember("Works at Initech as a manager", null, null, Map.of("user", "maya"), null, jun, null),
                new Remember("Works at Globex as a chef", null, null, Map.of("user", "liam"), null, jan, null)));

        Recall job = Recall.of("Where does she work?", 5).filter(MemoryFilter.eq("user", "maya"));
        assertThat(store.recall(job)).extracting(Memory::text).containsExactlyInAnyOrder(
                "Works at Acme as a designer", "Works at Initech as a manager");
        assertThat(store.recall(job.validAt(Instant.parse("2024-03-01T00:00:00Z")))).extracting(Memory::text)
                .containsExactly("Works at Acme as a designer");
    }

    @Test
    void shouldReadItsWritesAcrossClientsAndConcurrentWriters() throws Exception {
        try (MemoryStore reader = MemoryStore.open(space, TestEmbedders.local(), MemoryOptions.DEFAULT)) {
            ExecutorService writers = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> checks = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int writer = w;
                    checks.add(writers.submit(() -> {
                        for (int i = 0; i < 5; i++) {
                            String text = "writer " + writer + " noted the parcel code " + (writer * 100 + i);
                            RememberResult result = store.remember(Remember.text(text));
                            List<Memory> seen = reader.recall(Recall.of(text, 3).minSequence(result.sequence()));
                            if (seen.stream().noneMatch(m -> m.id().equals(result.id()))) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> check : checks) {
                    assertThat(check.get()).isTrue();
                }
            } finally {
                writers.shutdownNow();
            }
            assertThat(reader.size()).isEqualTo(20);
        }
    }

    @Test
    void shouldRefuseBadInput() {
        assertThatThrownBy(() -> Remember.text(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Remember.text("x", Map.of("bad key!", 1)))
                .hasMessageContaining("metadata key 'bad key!' is invalid");
        assertThatThrownBy(() -> Remember.text("x", Map.of("k", new Object())))
                .hasMessageContaining("unsupported type");
        assertThatThrownBy(() -> store.update("no-such-id", Remember.text("y")))
                .isInstanceOf(MemoryNotFoundException.class);
        assertThatThrownBy(() -> store.forget("../etc")).hasMessageContaining("memory id '../etc' is invalid");
        assertThatThrownBy(() -> Recall.of("q", 0)).hasMessageContaining("topK 0");
    }
}
