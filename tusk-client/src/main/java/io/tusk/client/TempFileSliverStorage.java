package io.tusk.client;

import io.tusk.core.encoding.SliverStorage;
import io.tusk.core.encoding.SliverTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sliver tables in temporary files: an encoding of a blob larger than the heap keeps its repair slivers (about 2.5x
 * the blob) here, and the page cache rather than the heap holds them while they are sent. Each table is one file,
 * unlinked as soon as it is open, so nothing is left behind even if the process dies; its space returns when the
 * table is closed. Reads and writes are positional, so threads use a table concurrently.
 */
public final class TempFileSliverStorage implements SliverStorage {
    /** Bytes per read or write call: bounds the JDK's temporary direct buffer per thread. */
    private static final int IO_PIECE = 1 << 20;

    private final Path directory;

    public TempFileSliverStorage(Path directory) {
        this.directory = directory;
    }

    /** Tables under {@code java.io.tmpdir}. */
    public static TempFileSliverStorage inTempDirectory() {
        return new TempFileSliverStorage(Path.of(System.getProperty("java.io.tmpdir")));
    }

    public Path directory() {
        return directory;
    }

    @Override
    public SliverTable allocate(int slots, int sliverBytes) {
        try {
            Files.createDirectories(directory);
            Path file = Files.createTempFile(directory, "tusk-slivers-", ".tmp");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            try {
                Files.deleteIfExists(file); // unlinked while open: the space goes when the channel closes, or the process ends
            } catch (IOException e) {
                // a file system that cannot unlink an open file: DELETE_ON_CLOSE removes it instead
            }
            return new FileTable(file, channel, slots, sliverBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for slivers in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    private static final class FileTable implements SliverTable {
        private final Path file;
        private final FileChannel channel;
        private final int slots;
        private final int sliverBytes;

        FileTable(Path file, FileChannel channel, int slots, int sliverBytes) {
            this.file = file;
            this.channel = channel;
            this.slots = slots;
            this.sliverBytes = sliverBytes;
        }

        @Override
        public int slots() {
            return slots;
        }

        @Override
        public int sliverBytes() {
            return sliverBytes;
        }

        @Override
        public byte[] array(int slot) {
            return null;
        }

        private long position(int slot, int offset, int length) {
            if (slot < 0 || slot >= slots || offset < 0 || length < 0 || offset > sliverBytes - length) {
                throw new IndexOutOfBoundsException("slot " + slot + " of " + slots + ", bytes " + offset + "+" + length
                        + " of " + sliverBytes);
            }
            return (long) slot * sliverBytes + offset;
        }

        @Override
        public void write(int slot, int offset, byte[] src, int srcOffset, int length) {
            long position = position(slot, offset, length);
            try {
                for (int done = 0; done < length; ) {
                    ByteBuffer piece = ByteBuffer.wrap(src, srcOffset + done, Math.min(IO_PIECE, length - done));
                    done += channel.write(piece, position + done);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("writing slivers to " + file + " failed (disk full?): "
                        + e.getMessage(), e);
            }
        }

        @Override
        public void read(int slot, int offset, byte[] dst, int dstOffset, int length) {
            long position = position(slot, offset, length);
            try {
                for (int done = 0; done < length; ) {
                    ByteBuffer piece = ByteBuffer.wrap(dst, dstOffset + done, Math.min(IO_PIECE, length - done));
                    int read = channel.read(piece, position + done);
                    if (read < 0) {
                        throw new IllegalStateException("slot " + slot + " of " + file + " was read before it was "
                                + "written (bytes " + (offset + done) + "+" + (length - done) + ")");
                    }
                    done += read;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading slivers from " + file + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing " + file + " failed: " + e.getMessage(), e);
            }
        }
    }
}
