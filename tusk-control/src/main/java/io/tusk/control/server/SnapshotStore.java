package io.tusk.control.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Snapshots of the state in a directory, one file per snapshot, named by the number of journal records it covers:
 * {@code snapshot-<count>.bin} = {@code CRC32C u32 BE | state bytes}. Written to a temporary file, forced, renamed
 * atomically and the directory forced, so a snapshot is either whole or absent. The newest {@link #KEEP} are kept.
 */
public final class SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})\\.bin");
    public static final int KEEP = 2;

    private final Path directory;

    public SnapshotStore(Path directory) {
        this.directory = directory;
    }

    /** A snapshot: the state bytes after the first {@code commandCount} journal records. */
    public record Snapshot(long commandCount, byte[] state) {}

    public void write(long commandCount, byte[] state) throws IOException {
        Path target = directory.resolve(String.format("snapshot-%020d.bin", commandCount));
        Path temp = directory.resolve(target.getFileName() + ".tmp");
        CRC32C crc = new CRC32C();
        crc.update(state, 0, state.length);
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(4).putInt((int) crc.getValue()).flip();
            ByteBuffer body = ByteBuffer.wrap(state);
            while (header.hasRemaining() || body.hasRemaining()) {
                out.write(new ByteBuffer[] {header, body});
            }
            out.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(directory);
        List<Long> counts = list();
        for (int i = 0; i < counts.size() - KEEP; i++) {
            Files.deleteIfExists(path(counts.get(i)));
        }
    }

    /** The newest intact snapshot; damaged ones are skipped with a warning. */
    public Optional<Snapshot> latest() throws IOException {
        List<Long> counts = list();
        for (int i = counts.size() - 1; i >= 0; i--) {
            Path file = path(counts.get(i));
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length >= 4) {
                int stored = ByteBuffer.wrap(bytes, 0, 4).getInt();
                CRC32C crc = new CRC32C();
                crc.update(bytes, 4, bytes.length - 4);
                if ((int) crc.getValue() == stored) {
                    byte[] state = new byte[bytes.length - 4];
                    System.arraycopy(bytes, 4, state, 0, state.length);
                    return Optional.of(new Snapshot(counts.get(i), state));
                }
            }
            LOG.warn("snapshot {} is damaged (bad checksum); trying an older one", file);
        }
        return Optional.empty();
    }

    private Path path(long count) {
        return directory.resolve(String.format("snapshot-%020d.bin", count));
    }

    private List<Long> list() throws IOException {
        List<Long> counts = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "snapshot-*.bin")) {
            for (Path f : files) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    counts.add(Long.parseLong(m.group(1)));
                }
            }
        }
        counts.sort(null);
        return counts;
    }

    static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open directories; the rename is still atomic there.
            LOG.debug("cannot force directory {}: {}", directory, e.toString());
        }
    }
}
