package io.tusk.memory.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.memory.IndexSnapshots;
import io.tusk.memory.Memory;
import io.tusk.memory.MemoryOptions;
import io.tusk.memory.MemoryStore;
import io.tusk.memory.Recall;
import io.tusk.memory.Remember;
import io.tusk.memory.RememberResult;
import io.tusk.memory.TestEmbedders;
import io.tusk.memory.space.TuskMemorySpace;
import io.tusk.spaces.SpaceKeyException;
import io.tusk.spaces.Spaces;
import io.tusk.spaces.SpacesOptions;
import io.tusk.testkit.TestCluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Memory on real spaces over an in-process Tusk cluster (4 nodes, 16 shards, RocksDB, HTTP): read-your-writes under
 * concurrent writers in two clients, supersede and as-of recall, forget making the stored bytes unreadable, and a
 * fresh client cold-starting recall from the index segments stored in the space.
 */
class MemoryOnSpacesScenarioTest {

    static TestCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(4, 16);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Spaces spaces() {
        return new Spaces(cluster.client(), SpacesOptions.defaults().withEpochs(3));
    }

    private static MemoryStore open(Spaces spaces, String name) {
        return MemoryStore.open(TuskMemorySpace.openOrCreate(spaces, name, true), TestEmbedders.local(),
                MemoryOptions.DEFAULT);
    }

    @Test
    void shouldReadItsWritesWithConcurrentWritersInTwoClients() throws Exception {
        try (MemoryStore a = open(spaces(), "ryw"); MemoryStore b = open(spaces(), "ryw")) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Boolean>> checks = new ArrayList<>();
                MemoryStore[] writers = {a, b};
                for (int w = 0; w < 2; w++) {
                    MemoryStore writer = writers[w];
                    MemoryStore reader = writers[1 - w];
                    int n = w;
                    checks.add(pool.submit(() -> {
                        for (int i = 0; i < 3; i++) {
                            String text = "client " + n + " stored locker combination " + (n * 10 + i);
                            RememberResult r = writer.remember(Remember.text(text));
                            List<Memory> seen = reader.recall(Recall.of(text, 3).minSequence(r.sequence()));
                            if (seen.stream().noneMatch(m -> m.id().equals(r.id()))) {
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
                pool.shutdownNow();
            }
            a.refresh();
            assertThat(a.size()).isEqualTo(6);
        }
    }

    @Test
    void shouldSupersedeRecallAsOfAndForgetUnreadably() throws Exception {
        try (MemoryStore store = open(spaces(), "facts")) {
            RememberResult city = store.remember(Remember.text("Nadia lives in Cairo."));
            Instant before = store.get(city.id()).orElseThrow().recordedAt();
            Thread.sleep(5);
            store.update(city.id(), Remember.text("Nadia lives in Accra."));
            assertThat(store.recall(Recall.of("Where does Nadia live?", 1))).extracting(Memory::text)
                    .containsExactly("Nadia lives in Accra.");
            assertThat(store.recall(Recall.of("Where does Nadia live?", 1).asOf(before))).extracting(Memory::text)
                    .containsExactly("Nadia lives in Cairo.");

            RememberResult secret = store.remember(Remember.text("The alarm code is 7788."));
            TuskMemorySpace space = (TuskMemorySpace) store.space();
            long written = secret.sequence();
            assertThat(space.space().at(written).read("m/" + secret.id())).isNotEmpty();

            store.forget(secret.id());

            assertThat(store.recall(Recall.of("alarm code", 5))).extracting(Memory::id).doesNotContain(secret.id());
            assertThat(store.history(secret.id())).isEmpty();
            assertThatThrownBy(() -> space.space().at(written).read("m/" + secret.id()))
                    .isInstanceOf(SpaceKeyException.class);
        }
    }

    @Test
    void shouldColdStartRecallOnAFreshClientFromTheStoredIndex() {
        IndexSnapshots.Published published;
        try (MemoryStore writer = open(spaces(), "cold")) {
            List<Remember> facts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                facts.add(Remember.text("Reminder " + i + ": " + io.tusk.memory.bench.SyntheticFactsAccess.fact(i)));
            }
            writer.rememberAll(facts);
            writer.remember(Remember.text("The boat is moored at pier 9."));
            published = IndexSnapshots.publish(writer);
        }
        try (MemoryStore fresh = open(spaces(), "cold")) {
            assertThat(fresh.restoredSequence()).isEqualTo(published.sequence());
            assertThat(fresh.size()).isEqualTo(41);
            assertThat(fresh.recall(Recall.of("where is the boat?", 1))).extracting(Memory::text)
                    .containsExactly("The boat is moored at pier 9.");
        }
    }
}
