package io.tusk.testkit;

import io.tusk.node.store.NodeStore;
import io.tusk.node.store.StoreOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Damage to a stopped node's RocksDB files, as a failing disk or a careless operator would do it: bits flipped in
 * {@code *.blob} files (slivers) and {@code *.sst} files (keys, small values, other column families). Values are found
 * by their bytes (nothing in Tusk compresses them), so a test knows exactly which entry it damaged whatever RocksDB's
 * file layout. Only for stores whose node is stopped.
 */
public final class DiskFaults {
    private DiskFaults() {
    }

    /**
     * Opens the (stopped) node store in {@code storeDir}, flushes and compacts everything into SST and blob files, and
     * closes it: afterwards every sliver, metadata and blob info entry is in exactly one live file (the write-ahead
     * log still holds older copies, which RocksDB does not replay into flushed families).
     */
    public static void settle(Path storeDir) {
        try (NodeStore store = NodeStore.open(storeDir, StoreOptions.DEFAULT.withVerifyFilesOnOpen(false))) {
            store.compactAll();
        }
    }

    /** The files in {@code storeDir} whose names end with {@code suffix} ({@code ".blob"}, {@code ".sst"}). */
    public static List<Path> files(Path storeDir, String suffix) {
        try (Stream<Path> files = Files.list(storeDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Flips bit {@code bit} (0-7) of byte {@code at} of every copy of {@code value} in the files of {@code storeDir}
     * ending with {@code suffix}; returns the files changed (empty if the value is in none of them).
     */
    public static List<Path> flipBitInside(Path storeDir, String suffix, byte[] value, int at, int bit) {
        if (at < 0 || at >= value.length || bit < 0 || bit > 7) {
            throw new IllegalArgumentException("byte " + at + " bit " + bit + " of a " + value.length + "-byte value");
        }
        List<Path> changed = new ArrayList<>();
        for (Path file : files(storeDir, suffix)) {
            try {
                byte[] content = Files.readAllBytes(file);
                boolean found = false;
                for (int offset = indexOf(content, value, 0); offset >= 0; offset = indexOf(content, value, offset + 1)) {
                    content[offset + at] ^= (byte) (1 << bit);
                    found = true;
                }
                if (found) {
                    Files.write(file, content);
                    changed.add(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return changed;
    }

    /** Flips bit {@code bit} of the byte {@code fromEnd} bytes before the end of {@code file} (1 = the last byte). */
    public static void flipBitNearEnd(Path file, int fromEnd, int bit) {
        try {
            byte[] content = Files.readAllBytes(file);
            if (fromEnd < 1 || fromEnd > content.length) {
                throw new IllegalArgumentException(file + " has " + content.length + " bytes, not " + fromEnd);
            }
            content[content.length - fromEnd] ^= (byte) (1 << bit);
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files of {@code storeDir} ending with {@code suffix} that hold {@code value}. */
    public static List<Path> filesHolding(Path storeDir, String suffix, byte[] value) {
        List<Path> out = new ArrayList<>();
        for (Path file : files(storeDir, suffix)) {
            try {
                if (indexOf(Files.readAllBytes(file), value, 0) >= 0) {
                    out.add(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        if (needle.length == 0) {
            throw new IllegalArgumentException("an empty value cannot be found");
        }
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = Math.max(0, from); i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
