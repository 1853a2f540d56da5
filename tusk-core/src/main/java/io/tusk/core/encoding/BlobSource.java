package io.tusk.core.encoding;

import java.util.Objects;

/**
 * The bytes of a blob to encode, read by position: an array, or (in the SDK) a file, so that a blob larger than the
 * heap can be encoded. Implementations must allow concurrent reads from several threads.
 */
public interface BlobSource {
    /** The blob's length in bytes. */
    long length();

    /**
     * Copies bytes {@code [position, position + length)} of the blob into {@code dst} at {@code offset}.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the blob
     * @throws java.io.UncheckedIOException if the underlying storage fails
     */
    void read(long position, byte[] dst, int offset, int length);

    /** A source over {@code bytes}, which it does not copy: the caller must not change them while it is used. */
    static BlobSource ofArray(byte[] bytes) {
        return new OfArray(bytes);
    }

    /** A blob held in one array; the encoder reads it in place. */
    record OfArray(byte[] bytes) implements BlobSource {
        public OfArray {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public void read(long position, byte[] dst, int offset, int length) {
            Objects.checkFromIndexSize(position, length, bytes.length);
            System.arraycopy(bytes, (int) position, dst, offset, length);
        }
    }
}
