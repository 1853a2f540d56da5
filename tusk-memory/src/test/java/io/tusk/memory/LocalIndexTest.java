package io.tusk.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recall index kept in a local directory between processes: resumed (only later commits are read), never resumed
 * against another space of the same name, and never opened by two stores at once.
 */
class LocalIndexTest {

    @TempDir
    Path dir;

    private static MemoryOptions local(Path directory) {
        return MemoryOptions.DEFAULT.withIndexDirectory(directory).withColdStart(false);
    }

    @Test
    void shouldResumeTheIndexAndReadOnlyLaterCommits() {
        InMemorySpace space = new InMemorySpace("notes", true);
        Path index = dir.resolve("notes");
        String pepper;
        long sequence;
        try (MemoryStore first = MemoryStore.open(space, TestEmbedders.local(), local(index))) {
            pepper = first.remember(Remember.text("Kofi's cat is called Pepper")).id();
            sequence = first.remember(Remember.text("Kofi works as a pharmacist")).sequence();
        }
        // another writer, with its own index in memory, commits after the first store closed
        try (MemoryStore other = MemoryStore.open(space, TestEmbedders.local(), MemoryOptions.DEFAULT)) {
            other.remember(Remember.text("Kofi moved to Accra"));
        }
        int callsBefore = space.replayedFrom().size();

        try (MemoryStore second = MemoryStore.open(space, TestEmbedders.local(), local(index))) {
            List<Long> replayed = space.replayedFrom().subList(callsBefore, space.replayedFrom().size());
            assertThat(replayed).as("resumed at the sequence the first store closed at").first().isEqualTo(sequence);
            assertThat(second.size()).isEqualTo(3);
            assertThat(second.recall(Recall.of("What is the cat called?", 1)).getFirst().id()).isEqualTo(pepper);
        }
    }

    @Test
    void shouldRebuildInsteadOfResumingAgainstAnotherSpaceOfTheSameName() {
        Path index = dir.resolve("notes");
        InMemorySpace old = new InMemorySpace("notes", true);
        try (MemoryStore store = MemoryStore.open(old, TestEmbedders.local(), local(index))) {
            store.remember(Remember.text("a fact of the old space"));
        }
        long created = System.currentTimeMillis();
        while (System.currentTimeMillis() == created) {
            Thread.onSpinWait(); // the new space's first commit must be in a later millisecond than the old one's
        }
        InMemorySpace recreated = new InMemorySpace("notes", true);
        try (MemoryStore store = MemoryStore.open(recreated, TestEmbedders.local(), local(index))) {
            assertThat(store.size()).as("nothing of the old space's index").isZero();
            assertThat(recreated.replayedFrom()).first().isEqualTo(0L);
            assertThat(store.recall(Recall.of("old space", 5))).isEmpty();
        }
    }

    @Test
    void shouldRefuseASecondStoreOnADirectoryInUse() {
        InMemorySpace space = new InMemorySpace("notes", true);
        Path index = dir.resolve("notes");
        try (MemoryStore first = MemoryStore.open(space, TestEmbedders.local(), local(index))) {
            first.remember(Remember.text("held"));
            assertThatThrownBy(() -> MemoryStore.open(space, TestEmbedders.local(), local(index)))
                    .isInstanceOf(IndexInUseException.class)
                    .hasMessageContaining(index.toString());
        }
        try (MemoryStore again = MemoryStore.open(space, TestEmbedders.local(), local(index))) {
            assertThat(again.size()).as("free again once the first store closed").isEqualTo(1);
        }
    }
}
