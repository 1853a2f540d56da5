package io.tusk.client;

import io.tusk.core.encoding.BlobSource;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A blob read from a file by position (concurrent reads allowed), so that a blob larger than the heap can be encoded
 * and its systematic slivers read back while they are sent. The file must not change while it is used: its length
 * is taken when it is opened, and a changed byte gives slivers that do not match the metadata (nodes refuse them).
 */
public final class FileBlobSource implements BlobSource, AutoCloseable {
    /** Bytes per read call: bounds the JDK's temporary direct buffer per reading thread. */
    private static final int READ_PIECE = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final long length;
    private final Runnable onClose;

    private FileBlobSource(Path file, FileChannel channel, long length, Runnable onClose) {
        this.file = file;
        this.channel = channel;
        this.length = length;
        this.onClose = onClose;
    }

    /** Opens {@code file}; its current size is the blob's length. */
    public static FileBlobSource open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new FileBlobSource(file, channel, channel.size(), () -> { });
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A source over a file this source owns: {@code onClose} runs (deleting it, say) when the source is closed. */
    static FileBlobSource owning(Path file, FileChannel channel, long length, Runnable onClose) {
        return new FileBlobSource(file, channel, length, onClose);
    }

    public Path file() {
        return file;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public void read(long position, byte[] dst, int offset, int count) {
        Objects.checkFromIndexSize(position, count, length);
        try {
            int done = 0;
            while (done < count) {
                ByteBuffer buffer = ByteBuffer.wrap(dst, offset + done, Math.min(READ_PIECE, count - done));
                int read = channel.read(buffer, position + done);
                if (read < 0) {
                    throw new EOFException(file + " ended at byte " + (position + done) + ", before the " + length
                            + " bytes it had when opened (was it changed during the store?)");
                }
                done += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " failed at byte " + position + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            onClose.run();
        }
    }
}
