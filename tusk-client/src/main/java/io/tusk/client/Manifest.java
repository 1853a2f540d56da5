package io.tusk.client;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.metadata.BlobId;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The manifest of a large file stored as chunks (docs/large-files.md): the file's length, the chunk size and the
 * ordered blob IDs of its chunks. Its BCS encoding is stored as an ordinary blob whose ID names the whole file:
 * <pre>
 * struct TuskManifest {
 *     magic: [u8; 8],          // 0x89 'T' 'U' 'S' 'K' 'M' 'F' 0x0A
 *     version: u8,             // 1
 *     total_length: u64,       // bytes of the file, > chunk_size
 *     chunk_size: u64,         // bytes of every chunk but the last (the last holds the rest, 1..=chunk_size)
 *     chunks: vector<[u8; 32]> // ULEB128 count = ceil(total_length / chunk_size), then each chunk's blob ID
 * }
 * </pre>
 * A blob is a manifest only if it parses exactly (magic, version, consistent count, nothing after the end).
 */
public record Manifest(long totalLength, long chunkSize, List<BlobId> chunks) {
    static final byte[] MAGIC = {(byte) 0x89, 'T', 'U', 'S', 'K', 'M', 'F', 0x0A};
    public static final int VERSION = 1;
    /** Most chunks a manifest may list (64 Ki: 1 TiB at 16 MiB chunks); keeps parsing of hostile blobs cheap. */
    public static final int MAX_CHUNKS = 1 << 16;
    private static final int FIXED_BYTES = MAGIC.length + 1 + 8 + 8;

    public Manifest {
        if (chunkSize < 1 || totalLength <= chunkSize) {
            throw new IllegalArgumentException("a manifest needs a chunk size >= 1 and a length over one chunk, got "
                    + totalLength + " in chunks of " + chunkSize);
        }
        chunks = List.copyOf(chunks);
        if (chunks.size() != chunkCount(totalLength, chunkSize)) {
            throw new IllegalArgumentException(totalLength + " bytes in chunks of " + chunkSize + " need "
                    + chunkCount(totalLength, chunkSize) + " chunks, got " + chunks.size());
        }
    }

    static long chunkCount(long totalLength, long chunkSize) {
        return (totalLength + chunkSize - 1) / chunkSize;
    }

    /** Offset in the file of chunk {@code k}. */
    public long chunkStart(int k) {
        return k * chunkSize;
    }

    /** Bytes in chunk {@code k}. */
    public long chunkLength(int k) {
        return Math.min(chunkSize, totalLength - chunkStart(k));
    }

    public byte[] toBytes() {
        BcsWriter out = new BcsWriter(FIXED_BYTES + 4 + chunks.size() * BlobId.LENGTH);
        out.fixedBytes(MAGIC).u8(VERSION).u64(totalLength).u64(chunkSize).uleb128(chunks.size());
        for (BlobId chunk : chunks) {
            out.fixedBytes(chunk.bytes());
        }
        return out.toByteArray();
    }

    /** Whether a blob of this size could be a manifest (cheap test before reading it). */
    public static boolean couldBe(long blobSize) {
        return blobSize >= FIXED_BYTES + 1 + 2 * BlobId.LENGTH && blobSize <= FIXED_BYTES + 3 + (long) MAX_CHUNKS * BlobId.LENGTH;
    }

    /** The manifest this blob holds, or empty if it is an ordinary blob. */
    public static Optional<Manifest> parse(byte[] blob) {
        if (!couldBe(blob.length) || !Arrays.equals(blob, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        try {
            BcsReader in = new BcsReader(blob, MAGIC.length, blob.length - MAGIC.length);
            if (in.u8() != VERSION) {
                return Optional.empty();
            }
            long total = in.u64();
            long chunkSize = in.u64();
            int count = in.length(MAX_CHUNKS, "manifest chunks");
            if (chunkSize < 1 || total <= chunkSize || count != chunkCount(total, chunkSize)
                    || in.remaining() != count * BlobId.LENGTH) {
                return Optional.empty();
            }
            BlobId[] chunks = new BlobId[count];
            for (int k = 0; k < count; k++) {
                chunks[k] = BlobId.of(in.fixedBytes(BlobId.LENGTH));
            }
            in.expectEnd();
            return Optional.of(new Manifest(total, chunkSize, List.of(chunks)));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }
}
