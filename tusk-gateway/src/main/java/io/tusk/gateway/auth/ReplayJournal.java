package io.tusk.gateway.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The used token IDs of {@link ReplayGuard} on disk, so that a restarted publisher still refuses a token used before
 * the restart. An append-only file of lines {@code + EXP JTI} (used until {@code EXP}, Unix seconds) and
 * {@code - JTI} (released: its request was refused), the ID in base64url so any string fits on a line; each line is
 * forced to disk before the request it admits goes on. On open, and whenever the file holds many more lines than
 * IDs, it is rewritten with the unexpired IDs only (a new file moved over the old), so its size stays bounded by the
 * cache size and the tokens' lifetimes. A torn last line (a crash while appending) is ignored. Not thread-safe: the
 * guard calls it under its lock.
 */
final class ReplayJournal implements AutoCloseable {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final Path file;
    private FileChannel channel;
    private long lines;

    private ReplayJournal(Path file) {
        this.file = file;
    }

    /**
     * Opens (or creates) the journal at {@code file} and returns it with the IDs still unexpired at
     * {@code nowSeconds}, written back compacted.
     */
    static ReplayJournal open(Path file, long nowSeconds, Map<String, Long> into) throws IOException {
        ReplayJournal journal = new ReplayJournal(file);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                journal.replay(line, into);
            }
        }
        into.values().removeIf(exp -> exp <= nowSeconds);
        journal.rewrite(into);
        return journal;
    }

    private void replay(String line, Map<String, Long> into) {
        String[] parts = line.split(" ");
        try {
            if (parts.length == 3 && parts[0].equals("+")) {
                into.put(decode(parts[2]), Long.parseLong(parts[1]));
            } else if (parts.length == 2 && parts[0].equals("-")) {
                into.remove(decode(parts[1]));
            }
            // anything else is a torn line from a crash while appending: the request it was for never went on
        } catch (IllegalArgumentException torn) {
            // the same
        }
    }

    void used(String jti, long exp) throws IOException {
        append("+ " + exp + " " + encode(jti) + "\n");
    }

    void released(String jti) throws IOException {
        append("- " + encode(jti) + "\n");
    }

    /** Whether the file holds so many more lines than live IDs that {@link #rewrite} is worth its cost. */
    boolean wantsCompaction(int liveIds, int capacity) {
        return lines > 2L * Math.max(liveIds, capacity / 4) + 64;
    }

    /** Replaces the file with one line per ID of {@code live}. */
    void rewrite(Map<String, Long> live) throws IOException {
        close();
        Path temp = file.resolveSibling(file.getFileName() + ".new");
        StringBuilder text = new StringBuilder();
        live.forEach((jti, exp) -> text.append("+ ").append(exp).append(' ').append(encode(jti)).append('\n'));
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, text.toString());
            out.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        lines = live.size();
    }

    /** The fail point before a line is appended (docs/fault-injection.md): the ID is then not admitted. */
    static final String APPEND_FAIL_POINT = "gateway.replay-journal-append";

    private void append(String line) throws IOException {
        io.tusk.core.failpoint.FailPoints.hitIo(APPEND_FAIL_POINT);
        writeFully(channel, line);
        channel.force(false);
        lines++;
    }

    private static void writeFully(FileChannel out, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    private static String encode(String jti) {
        return ENCODER.encodeToString(jti.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String text) {
        return new String(DECODER.decode(text), StandardCharsets.UTF_8);
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /** For tests: the lines in the file now. */
    List<String> linesOnDisk() throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}
