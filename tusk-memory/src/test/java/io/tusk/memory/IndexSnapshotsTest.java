package io.tusk.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Index segments stored in the space: a fresh client starts from them, and forgotten text does not live on there. */
class IndexSnapshotsTest {

    @Test
    void shouldColdStartAFreshClientFromPublishedSegmentsAndFollowLaterCommits() {
        InMemorySpace space = new InMemorySpace("cold", true);
        List<String> facts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            facts.add("Fact number " + i + ": " + io.tusk.memory.bench.SyntheticFactsAccess.fact(i));
        }
        try (MemoryStore writer = MemoryStore.open(space, TestEmbedders.local(), MemoryOptions.DEFAULT)) {
            writer.rememberAll(facts.stream().map(Remember::text).toList());
            IndexSnapshots.Published published = IndexSnapshots.publish(writer);
            assertThat(published.uploaded()).isEqualTo(published.files()).isPositive();
            writer.remember(Remember.text("The spare key is under the blue flowerpot."));

            try (MemoryStore fresh = MemoryStore.open(space, TestEmbedders.local(), MemoryOptions.DEFAULT)) {
                assertThat(fresh.restoredSequence()).isEqualTo(published.sequence());
                assertThat(fresh.size()).isEqualTo(61);
                assertThat(fresh.recall(Recall.of("where is the spare key?", 1))).extracting(Memory::text)
                        .containsExactly("The spare key is under the blue flowerpot.");
                assertThat(fresh.recall(Recall.of(facts.get(17), 1))).extracting(Memory::text)
                        .containsExactly(facts.get(17));
            }
            // A second snapshot uploads only the segments the first did not hold.
            IndexSnapshots.Published second = IndexSnapshots.publish(writer);
            assertThat(second.uploaded()).isLessThan(second.files());
        }
    }

    @Test
    void shouldLeaveNoForgottenTextInStoredSegments() {
        InMemorySpace space = new InMemorySpace("forget", true);
        String secret = "zanzibarquokka";
        try (MemoryStore store = MemoryStore.open(space, TestEmbedders.local(), MemoryOptions.DEFAULT)) {
            RememberResult kept = store.remember(Remember.text("I water the plants on Mondays."));
            RememberResult doomed = store.remember(Remember.text("My password hint is " + secret));
            IndexSnapshots.publish(store);
            assertThat(segmentsMention(space, secret)).as("control: the secret is in a stored segment").isTrue();

            store.forget(doomed.id());
            IndexSnapshots.publish(store);

            assertThat(segmentsMention(space, secret)).isFalse();
            assertThat(store.get(kept.id())).isPresent();
        }
    }

    private static boolean segmentsMention(InMemorySpace space, String text) {
        for (String key : space.keys(IndexSnapshots.FILE_PREFIX)) {
            String bytes = new String(space.read(key).orElseThrow(), StandardCharsets.ISO_8859_1);
            if (bytes.contains(text)) {
                return true;
            }
        }
        return false;
    }
}
