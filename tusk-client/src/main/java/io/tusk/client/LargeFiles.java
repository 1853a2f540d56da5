package io.tusk.client;

import io.tusk.core.encoding.BlobEncoding;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.client.NodeRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files and streams stored with bounded memory (docs/large-files.md): one blob if they fit in one blob of the
 * committee (or in one chunk of the size the caller asked for), else chunks plus a {@link Manifest}, streamed both
 * ways.
 *
 * <p>Store: a reader thread reads and encodes chunks while earlier ones upload; each chunk holds a permit from
 * before it is encoded until its upload ends, so at most two ({@link #chunksInMemory}: three where the heap allows)
 * encoded chunks exist, and a chunk's upload starts as soon as it is encoded, overlapping the previous chunk's wait
 * for its confirmations and certificate. Each chunk
 * is an ordinary store ({@link TuskClient#storeEncoded}): skipped if already certified, a failed chunk is retried
 * alone (its registration reused), up to {@link #CHUNK_ATTEMPTS} times.
 *
 * <p>Read: chunk {@code k+1} is fetched while chunk {@code k} is written, so at most two chunks are held and the
 * first byte leaves before the last chunk is fetched.
 */
final class LargeFiles {
    private static final Logger LOG = LoggerFactory.getLogger(LargeFiles.class);
    static final int CHUNK_ATTEMPTS = 3;
    /** Heap per encoded chunk before a third one is held (encoding and sending need several times a chunk). */
    private static final int HEAP_PER_ENCODED_CHUNK = 8;

    private final TuskClient client;

    LargeFiles(TuskClient client) {
        this.client = client;
    }

    /** Chunking asked for by nobody: one blob if the file fits in one, else chunks of the default size. */
    static final long ONE_BLOB_IF_IT_FITS = 0;

    private record Chunk(int index, long length, BlobEncoding encoded, Throwable failure) {
        static final Chunk END = new Chunk(-1, 0, null, null);
    }

    /** What a store becomes: one blob up to {@code oneBlobLimit} bytes, else chunks of {@code chunkSize}. */
    private record Plan(long oneBlobLimit, long chunkSize) {
        boolean oneBlob(long length) {
            return length <= oneBlobLimit;
        }
    }

    /**
     * Files up to the committee's largest blob are one blob unless a chunk size was asked for; chunks are never larger
     * than the largest blob.
     */
    private Plan plan(long length, long chunkBytes) {
        if (length < 0 || chunkBytes < 0) {
            throw new IllegalArgumentException("length and chunk size must be >= 0, got " + length + ", " + chunkBytes);
        }
        long maxBlob = client.maxBlobSize();
        if (chunkBytes == ONE_BLOB_IF_IT_FITS) {
            return new Plan(maxBlob, Math.min(TuskClient.DEFAULT_CHUNK_BYTES, maxBlob));
        }
        long chunkSize = Math.min(chunkBytes, maxBlob);
        return new Plan(chunkSize, chunkSize);
    }

    /** Stores a file: one blob encoded from the file itself if it fits, else chunks read from it in turn. */
    LargeStoreResult store(Path file, StoreOptions options, long chunkBytes, ProgressListener progress) throws IOException {
        long length = Files.size(file);
        Plan plan = plan(length, chunkBytes);
        if (plan.oneBlob(length)) {
            EncodingConfig config = new EncodingConfig(client.committee().shardCount());
            try (BlobEncoding encoded = client.encodings().encode(config, file)) {
                if (encoded.metadata().metadata().unencodedLength() != length) {
                    throw new IOException(file + " changed size while it was read (" + length + " bytes, then "
                            + encoded.metadata().metadata().unencodedLength() + ")");
                }
                return new LargeStoreResult(client.storeEncoded(encoded, length, options, progress), length,
                        plan.oneBlobLimit(), List.of());
            }
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            return storeChunks(in, length, options, plan.chunkSize(), progress);
        }
    }

    LargeStoreResult store(InputStream in, long length, StoreOptions options, long chunkBytes, ProgressListener progress)
            throws IOException {
        Plan plan = plan(length, chunkBytes);
        if (plan.oneBlob(length)) {
            EncodingConfig config = new EncodingConfig(client.committee().shardCount());
            try (BlobEncoding encoded = client.encodings().encode(config, in, length)) {
                return new LargeStoreResult(client.storeEncoded(encoded, length, options, progress), length,
                        plan.oneBlobLimit(), List.of());
            }
        }
        return storeChunks(in, length, options, plan.chunkSize(), progress);
    }

    private LargeStoreResult storeChunks(InputStream in, long length, StoreOptions options, long chunkSize,
                                         ProgressListener progress) throws IOException {
        int count = Math.toIntExact(Manifest.chunkCount(length, chunkSize));
        if (count > Manifest.MAX_CHUNKS) {
            throw new IllegalArgumentException(length + " bytes need " + count + " chunks of " + chunkSize
                    + ", more than a manifest lists (" + Manifest.MAX_CHUNKS + "); use larger chunks");
        }
        EncodingConfig encoding = new EncodingConfig(client.committee().shardCount());
        // A chunk holds a permit from before it is encoded until its upload ends, so at most `permits` encoded chunks
        // exist; uploads start as soon as a chunk is encoded, so one chunk's slivers flow while the previous one
        // waits for its confirmations and certificate.
        Semaphore memory = new Semaphore(chunksInMemory(encoding.encodedSize(chunkSize)));
        LinkedBlockingQueue<Chunk> encoded = new LinkedBlockingQueue<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().name("tusk-chunk-encoder").daemon().start(() -> {
            try {
                for (int k = 0; k < count; k++) {
                    memory.acquire();
                    long chunkLength = Math.min(chunkSize, length - k * chunkSize);
                    encoded.add(new Chunk(k, chunkLength, client.encodings().encode(encoding, in, chunkLength), null));
                    if (abandoned.get()) { // the store failed meanwhile: nobody will upload it
                        closeUnsent(encoded);
                        return;
                    }
                }
                encoded.add(Chunk.END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                encoded.add(new Chunk(-1, 0, null, e));
            }
        });
        List<Future<StoreResult>> uploads = new ArrayList<>(count);
        List<BlobId> ids = new ArrayList<>(count);
        AtomicLong sentBytes = new AtomicLong();
        ExecutorService uploaders = Executors.newVirtualThreadPerTaskExecutor();
        List<StoreResult> results = new ArrayList<>(count);
        try {
            while (true) {
                Chunk chunk = nextChunk(encoded, uploads);
                switch (chunk.failure()) {
                    case null -> { }
                    case IOException io -> throw io;
                    case RuntimeException r -> throw r;
                    default -> throw new IOException(chunk.failure());
                }
                if (chunk == Chunk.END) {
                    break;
                }
                ids.add(chunk.encoded().blobId());
                uploads.add(uploaders.submit(() -> {
                    long[] reported = {0};
                    try (BlobEncoding chunkEncoding = chunk.encoded()) {
                        return storeChunk(chunk, count, options, (sent, total) -> {
                            long scaled = sent * chunk.length() / Math.max(1, total);
                            progress.onProgress(sentBytes.addAndGet(scaled - reported[0]), length);
                            reported[0] = scaled;
                        });
                    } finally {
                        memory.release();
                    }
                }));
            }
            for (Future<StoreResult> upload : uploads) {
                results.add(result(upload));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while storing a large file");
        } finally {
            abandoned.set(true);
            reader.interrupt();
            uploaders.shutdownNow();
            closeUnsent(encoded);
        }
        progress.onProgress(length, length);
        Manifest manifest = new Manifest(length, chunkSize, ids);
        StoreResult result = client.store(manifest.toBytes(), options);
        long skipped = results.stream().filter(StoreResult.AlreadyCertified.class::isInstance).count();
        LOG.info("stored {} bytes as {} chunks of {} ({} already certified, skipped) and manifest {}", length, count,
                chunkSize, skipped, result.blobId());
        return new LargeStoreResult(result, length, chunkSize, results);
    }

    /**
     * Releases the chunks encoded and not taken by an upload (after a failed store). Both the store and the encoder
     * thread call it once the store is abandoned, so whichever comes last releases what the other left.
     */
    private static void closeUnsent(LinkedBlockingQueue<Chunk> encoded) {
        for (Chunk left = encoded.poll(); left != null; left = encoded.poll()) {
            if (left.encoded() != null) {
                left.encoded().close();
            }
        }
    }

    /**
     * Encoded chunks held at once: three where the heap is at least {@link #HEAP_PER_ENCODED_CHUNK} times that
     * (the CLI's default heap), else two (a gateway with a 512 MiB heap and 16 MiB chunks of ~75 MB encoded).
     */
    static int chunksInMemory(long encodedChunkBytes) {
        return Runtime.getRuntime().maxMemory() >= 3 * encodedChunkBytes * HEAP_PER_ENCODED_CHUNK ? 3 : 2;
    }

    /** The next encoded chunk; meanwhile a failed upload stops the store at once. */
    private static Chunk nextChunk(LinkedBlockingQueue<Chunk> encoded, List<Future<StoreResult>> uploads)
            throws InterruptedException {
        while (true) {
            failFast(uploads);
            Chunk chunk = encoded.poll(100, TimeUnit.MILLISECONDS);
            if (chunk != null) {
                return chunk;
            }
        }
    }

    /** Rethrows the failure of any finished upload, so that a failed chunk stops the store at once. */
    private static void failFast(List<Future<StoreResult>> uploads) throws InterruptedException {
        for (Future<StoreResult> upload : uploads) {
            if (upload.isDone()) {
                result(upload);
            }
        }
    }

    private static StoreResult result(Future<StoreResult> upload) throws InterruptedException {
        try {
            return upload.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new StoreException(String.valueOf(e.getCause()));
        }
    }

    private StoreResult storeChunk(Chunk chunk, int count, StoreOptions options, ProgressListener progress)
            throws InterruptedException {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= CHUNK_ATTEMPTS; attempt++) {
            try {
                StoreResult result = client.storeEncoded(chunk.encoded(), chunk.length(), options, progress);
                if (result instanceof StoreResult.AlreadyCertified) {
                    LOG.info("chunk {}/{} ({}) is already certified: not sent again", chunk.index() + 1, count,
                            result.blobId());
                }
                return result;
            } catch (StoreException | NodeRequestException | io.tusk.http.HttpTransportException e) {
                last = e;
                LOG.warn("chunk {}/{} ({}) failed (attempt {} of {}): {}", chunk.index() + 1, count,
                        chunk.encoded().blobId(), attempt, CHUNK_ATTEMPTS, e.getMessage());
                if (attempt < CHUNK_ATTEMPTS) {
                    Thread.sleep(500L * attempt);
                }
            }
        }
        throw new StoreException("chunk " + (chunk.index() + 1) + " of " + count + " (" + chunk.encoded().blobId()
                + ") failed " + CHUNK_ATTEMPTS + " times: " + last.getMessage() + "; chunks certified so far are "
                + "kept: run the same store again to resume");
    }

    void read(Manifest manifest, long start, long length, OutputStream out) throws IOException {
        if (length == 0) {
            return;
        }
        int first = (int) (start / manifest.chunkSize());
        int last = (int) ((start + length - 1) / manifest.chunkSize());
        CompletableFuture<byte[]> next = fetch(manifest, first);
        for (int k = first; k <= last; k++) {
            byte[] data;
            try {
                data = next.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            next = k < last ? fetch(manifest, k + 1) : null;
            long chunkStart = manifest.chunkStart(k);
            int from = (int) Math.max(0, start - chunkStart);
            int to = (int) Math.min(data.length, start + length - chunkStart);
            try {
                out.write(data, from, to - from);
            } catch (IOException | RuntimeException e) {
                if (next != null) {
                    next.cancel(true);
                }
                throw e;
            }
        }
    }

    private CompletableFuture<byte[]> fetch(Manifest manifest, int k) {
        BlobId chunk = manifest.chunks().get(k);
        // A file that would fill more than half the client's cache does not go into it (it would push out the rest).
        boolean cached = client.cache().map(c -> manifest.totalLength() <= c.maxBytes() / 2).orElse(false);
        return CompletableFuture.supplyAsync(() -> {
            byte[] data = client.read(chunk, io.tusk.core.encoding.ConsistencyCheck.DEFAULT, info -> { }, cached);
            if (data.length != manifest.chunkLength(k)) {
                throw new IllegalStateException("chunk " + (k + 1) + " (" + chunk + ") has " + data.length
                        + " bytes, the manifest says " + manifest.chunkLength(k));
            }
            return data;
        }, task -> Thread.ofVirtual().name("tusk-chunk-read").start(task));
    }
}
