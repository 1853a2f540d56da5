package io.tusk.client;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.BlobEncoding;
import io.tusk.core.encoding.BlobSource;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobMetadataWithId;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * Encodes blobs for stores with bounded memory: on the heap while the {@link HeapBudget} allows (fastest), otherwise
 * from a file (the caller's, or a temporary copy of a stream) with the repair slivers in temporary files
 * ({@link TempFileSliverStorage}). Every encoding it returns releases what it holds (budget, temporary files) when
 * closed.
 */
final class BlobEncodings {
    private static final int COPY_BUFFER_BYTES = 1 << 20;

    private final HeapBudget heap;
    private final TempFileSliverStorage spill;
    private final Function<EncodingConfig, BlobEncoder> encoders;

    BlobEncodings(HeapBudget heap, TempFileSliverStorage spill, Function<EncodingConfig, BlobEncoder> encoders) {
        this.heap = heap;
        this.spill = spill;
        this.encoders = encoders;
    }

    /** A blob already in memory: its slivers on the heap if the budget allows, else in temporary files. */
    BlobEncoding encode(EncodingConfig config, byte[] blob) {
        HeapBudget.Reservation reservation = heap.tryReserve(blob.length);
        if (reservation == null) {
            return encoders.apply(config).encode(BlobSource.ofArray(blob), spill);
        }
        return owning(() -> encoders.apply(config).encode(blob), reservation);
    }

    /** A file as one blob: read onto the heap when the budget allows, else encoded from the file itself. */
    BlobEncoding encode(EncodingConfig config, Path file) throws IOException {
        long length = Files.size(file);
        HeapBudget.Reservation reservation = heap.tryReserve(length);
        if (reservation != null) {
            try {
                byte[] blob = Files.readAllBytes(file);
                return owning(() -> encoders.apply(config).encode(blob), reservation);
            } catch (IOException | RuntimeException | Error e) {
                reservation.close();
                throw e;
            }
        }
        FileBlobSource source = FileBlobSource.open(file);
        return owning(() -> encoders.apply(config).encode(source, spill), source);
    }

    /**
     * {@code length} bytes of {@code in} as one blob: read onto the heap when the budget allows, else copied into a
     * temporary file (deleted when the encoding is closed) and encoded from there.
     *
     * @throws EOFException if {@code in} ends before {@code length} bytes
     */
    BlobEncoding encode(EncodingConfig config, InputStream in, long length) throws IOException {
        HeapBudget.Reservation reservation = heap.tryReserve(length);
        if (reservation != null) {
            try {
                byte[] blob = readExactly(in, Math.toIntExact(length));
                return owning(() -> encoders.apply(config).encode(blob), reservation);
            } catch (IOException | RuntimeException | Error e) {
                reservation.close();
                throw e;
            }
        }
        FileBlobSource source = copyToTemporaryFile(in, length);
        return owning(() -> encoders.apply(config).encode(source, spill), source);
    }

    /** The metadata of a blob held in a file, with bounded memory. */
    BlobMetadataWithId computeMetadata(EncodingConfig config, Path file) throws IOException {
        try (FileBlobSource source = FileBlobSource.open(file)) {
            return encoders.apply(config).computeMetadata(source, spill);
        }
    }

    static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] data = in.readNBytes(length);
        if (data.length != length) {
            throw new EOFException("the input ended after " + data.length + " of " + length + " bytes");
        }
        return data;
    }

    /** Copies exactly {@code length} bytes of {@code in} into an unlinked temporary file read back by the source. */
    private FileBlobSource copyToTemporaryFile(InputStream in, long length) throws IOException {
        Files.createDirectories(spill.directory());
        Path file = Files.createTempFile(spill.directory(), "tusk-blob-", ".tmp");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        try {
            Files.deleteIfExists(file);
            byte[] buffer = new byte[(int) Math.min(COPY_BUFFER_BYTES, Math.max(1, length))];
            long copied = 0;
            while (copied < length) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, length - copied));
                if (read < 0) {
                    throw new EOFException("the input ended after " + copied + " of " + length + " bytes");
                }
                ByteBuffer piece = ByteBuffer.wrap(buffer, 0, read);
                while (piece.hasRemaining()) {
                    channel.write(piece, copied + piece.position());
                }
                copied += read;
            }
            return FileBlobSource.owning(file, channel, length, () -> { });
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    @FunctionalInterface
    private interface Encoding {
        BlobEncoding run();
    }

    /** Runs {@code encoding}; the result releases {@code resource} when closed (so does a failure, at once). */
    private static BlobEncoding owning(Encoding encoding, AutoCloseable resource) {
        BlobEncoding encoded;
        try {
            encoded = encoding.run();
        } catch (RuntimeException | Error e) {
            closeQuietly(resource, e);
            throw e;
        }
        return new Owning(encoded, resource);
    }

    private static void closeQuietly(AutoCloseable resource, Throwable failure) {
        try {
            resource.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /** An encoding that also releases a resource of its own (a heap reservation, a source file) when closed. */
    private record Owning(BlobEncoding encoding, AutoCloseable resource) implements BlobEncoding {
        @Override
        public BlobMetadataWithId metadata() {
            return encoding.metadata();
        }

        @Override
        public int shardCount() {
            return encoding.shardCount();
        }

        @Override
        public Sliver sliver(int pairIndex, SliverType type) {
            return encoding.sliver(pairIndex, type);
        }

        @Override
        public int sliverBytes(SliverType type) {
            return encoding.sliverBytes(type);
        }

        @Override
        public boolean inMemory() {
            return encoding.inMemory();
        }

        @Override
        public void close() {
            try {
                encoding.close();
            } finally {
                try {
                    resource.close();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new java.io.UncheckedIOException(new IOException("releasing an encoding's resources failed: "
                            + e.getMessage(), e));
                }
            }
        }
    }
}
