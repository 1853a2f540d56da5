package io.tusk.control.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadBackWhatWasAppended() throws IOException {
        Path file = dir.resolve("j");
        try (Journal j = Journal.open(file, (i, p) -> {})) {
            for (int i = 0; i < 5; i++) {
                assertThat(j.append(("record " + i).getBytes(StandardCharsets.UTF_8))).isEqualTo(i);
            }
        }
        List<String> read = readAll(file);
        assertThat(read).containsExactly("record 0", "record 1", "record 2", "record 3", "record 4");
    }

    @Test
    void shouldCutOffATornTailAtEveryCutPoint() throws IOException {
        Path file = dir.resolve("j");
        try (Journal j = Journal.open(file, (i, p) -> {})) {
            j.append("first".getBytes(StandardCharsets.UTF_8));
            j.append("second".getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = Files.readAllBytes(file);
        int firstEnd = Journal.HEADER_BYTES + 5;
        for (int cut = firstEnd + 1; cut < whole.length; cut++) {
            Path torn = dir.resolve("torn-" + cut);
            Files.write(torn, java.util.Arrays.copyOf(whole, cut));
            assertThat(readAll(torn)).as("cut at %d", cut).containsExactly("first");
            assertThat(Files.size(torn)).isEqualTo(firstEnd);
            // and appending after recovery works
            try (Journal j = Journal.open(torn, (i, p) -> {})) {
                assertThat(j.append("third".getBytes(StandardCharsets.UTF_8))).isEqualTo(1);
            }
            assertThat(readAll(torn)).containsExactly("first", "third");
        }
    }

    @Test
    void shouldTreatABadChecksumOnTheLastRecordAsTorn() throws IOException {
        Path file = dir.resolve("j");
        try (Journal j = Journal.open(file, (i, p) -> {})) {
            j.append("first".getBytes(StandardCharsets.UTF_8));
            j.append("second".getBytes(StandardCharsets.UTF_8));
        }
        flipLastByte(file);
        assertThat(readAll(file)).containsExactly("first");
    }

    @Test
    void shouldTreatAZeroFilledTailAsTorn() throws IOException {
        Path file = dir.resolve("j");
        try (Journal j = Journal.open(file, (i, p) -> {})) {
            j.append("first".getBytes(StandardCharsets.UTF_8));
        }
        Files.write(file, new byte[4096], java.nio.file.StandardOpenOption.APPEND);
        assertThat(readAll(file)).containsExactly("first");
    }

    @Test
    void shouldRefuseACorruptMiddle() throws IOException {
        Path file = dir.resolve("j");
        try (Journal j = Journal.open(file, (i, p) -> {})) {
            j.append("first".getBytes(StandardCharsets.UTF_8));
            j.append("second".getBytes(StandardCharsets.UTF_8));
            j.append("third".getBytes(StandardCharsets.UTF_8));
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(Journal.HEADER_BYTES + 5 + Journal.HEADER_BYTES + 1);
            raf.write('X');
        }
        assertThatThrownBy(() -> readAll(file)).isInstanceOf(CorruptJournalException.class)
                .hasMessageContaining("record 1");
        // the file is left alone for an operator to inspect
        assertThat(Files.size(file)).isEqualTo(3L * Journal.HEADER_BYTES + 5 + 6 + 5);
    }

    private static void flipLastByte(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() - 1);
            int b = raf.read();
            raf.seek(raf.length() - 1);
            raf.write(b ^ 1);
        }
    }

    private static List<String> readAll(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        try (Journal j = Journal.open(file, (i, p) -> {
            assertThat(i).isEqualTo(out.size());
            out.add(new String(p, StandardCharsets.UTF_8));
        })) {
            assertThat(j.recordCount()).isEqualTo(out.size());
        }
        return out;
    }
}
