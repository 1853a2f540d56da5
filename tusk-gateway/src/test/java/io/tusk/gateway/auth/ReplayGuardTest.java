package io.tusk.gateway.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ReplayGuard} kept in a real file ({@link ReplayJournal}): reopened, released, torn, compacted. */
class ReplayGuardTest {
    private static final long NOW = 1_800_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldKeepUsedIdsUntilTheyExpireAcrossReopening() throws IOException {
        Path file = dir.resolve("used");
        try (ReplayGuard guard = new ReplayGuard(10, file, NOW)) {
            assertThat(guard.claim("a", NOW + 600, NOW)).isEqualTo(ReplayGuard.Claim.FRESH);
            assertThat(guard.claim("b b\nwith a newline", NOW + 10, NOW)).isEqualTo(ReplayGuard.Claim.FRESH);
            assertThat(guard.claim("c", NOW + 600, NOW)).isEqualTo(ReplayGuard.Claim.FRESH);
            guard.release("c"); // its request was refused: not used
        }
        try (ReplayGuard reopened = new ReplayGuard(10, file, NOW + 1)) {
            assertThat(reopened.size()).isEqualTo(2);
            assertThat(reopened.claim("a", NOW + 600, NOW + 1)).isEqualTo(ReplayGuard.Claim.USED);
            assertThat(reopened.claim("b b\nwith a newline", NOW + 10, NOW + 1)).isEqualTo(ReplayGuard.Claim.USED);
            assertThat(reopened.claim("c", NOW + 600, NOW + 1)).isEqualTo(ReplayGuard.Claim.FRESH);
        }
        try (ReplayGuard later = new ReplayGuard(10, file, NOW + 10)) {
            assertThat(later.size()).isEqualTo(2); // b expired and was dropped on opening
            assertThat(Files.readAllLines(file)).hasSize(2);
        }
    }

    @Test
    void shouldIgnoreATornLastLine() throws IOException {
        Path file = dir.resolve("used");
        try (ReplayGuard guard = new ReplayGuard(10, file, NOW)) {
            guard.claim("a", NOW + 600, NOW);
        }
        Files.writeString(file, "+ 18000", StandardCharsets.UTF_8, StandardOpenOption.APPEND); // a crash mid-line
        try (ReplayGuard reopened = new ReplayGuard(10, file, NOW)) {
            assertThat(reopened.size()).isEqualTo(1);
            assertThat(reopened.claim("a", NOW + 600, NOW)).isEqualTo(ReplayGuard.Claim.USED);
        }
    }

    @Test
    void shouldStayBoundedByCompactingExpiredIds() throws IOException {
        Path file = dir.resolve("used");
        int capacity = 8;
        long now = NOW;
        try (ReplayGuard guard = new ReplayGuard(capacity, file, now)) {
            for (int i = 0; i < 600; i++) {
                now++;
                assertThat(guard.claim("t" + i, now + 3, now)).as("token %d", i).isEqualTo(ReplayGuard.Claim.FRESH);
                assertThat(Files.readAllLines(file).size()).as("lines after token %d", i).isLessThanOrEqualTo(200);
            }
            assertThat(guard.claim("t599", now + 3, now)).isEqualTo(ReplayGuard.Claim.USED);
        }
        try (ReplayGuard reopened = new ReplayGuard(capacity, file, now)) {
            assertThat(reopened.size()).isBetween(1, 3); // the last tokens, still unexpired
            assertThat(reopened.claim("t599", now + 3, now)).isEqualTo(ReplayGuard.Claim.USED);
        }
    }

    @Test
    void shouldFailToOpenWhereNoFileCanBe() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        assertThatThrownBy(() -> new ReplayGuard(10, directory, NOW)).isInstanceOf(IOException.class);
    }
}
