package io.tusk.gateway;

import io.tusk.core.metadata.BlobId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verified blobs in one directory, at most {@code capacity} bytes of blob data, least recently used evicted first.
 * One file per blob, {@code <blobId>.blob}:
 * <pre>
 * magic "TUSKGWC1" (8) | endEpoch u32 BE | length u64 BE | SHA-256 of the data (32) | data
 * </pre>
 * The SHA-256 catches a file damaged on disk (it is checked on every read; a damaged file is deleted and the read
 * goes to the nodes). Files are written to a temporary name and renamed, so a crash never leaves half a blob.
 *
 * <p>Entries found on disk at start-up are <em>unconfirmed</em>: the blob may have been deleted while the gateway was
 * down, so the caller checks its status once before serving it. Thread-safe: the index is guarded by {@code this};
 * file reads happen outside the lock.
 */
final class DiskCache {
    private static final Logger LOG = LoggerFactory.getLogger(DiskCache.class);
    private static final byte[] MAGIC = "TUSKGWC1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int HEADER = 8 + 4 + 8 + 32;
    private static final String SUFFIX = ".blob";

    /** What the index knows of one file. */
    record Meta(long size, int endEpoch, boolean confirmed) {}

    /** A blob read back from disk. */
    record Hit(byte[] data, int endEpoch, boolean confirmed) {}

    private final Path directory;
    private final long capacity;
    private final LinkedHashMap<BlobId, Meta> index = new LinkedHashMap<>(16, 0.75f, true); // INV: access order
    private long usedBytes; // INV: sum of index sizes

    DiskCache(Path directory, long capacity) throws IOException {
        this.directory = directory;
        this.capacity = capacity;
        Files.createDirectories(directory);
        load();
    }

    private void load() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path file : stream) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file); // a write interrupted by a crash
                } else if (name.endsWith(SUFFIX)) {
                    files.add(file);
                }
            }
        }
        files.sort(Comparator.comparing(DiskCache::modified)); // oldest first: least recently used first
        for (Path file : files) {
            String name = file.getFileName().toString();
            try {
                BlobId blobId = BlobId.parse(name.substring(0, name.length() - SUFFIX.length()));
                Meta meta = readHeader(file);
                index.put(blobId, new Meta(meta.size(), meta.endEpoch(), false));
                usedBytes += meta.size();
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("removing unreadable cache file {}: {}", file, e.getMessage());
                Files.deleteIfExists(file);
            }
        }
        trim();
        LOG.info("disk cache {}: {} blobs, {} of {} bytes", directory, index.size(), usedBytes, capacity);
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static Meta readHeader(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a Tusk gateway cache file");
            }
            int endEpoch = in.readInt();
            long length = in.readLong();
            if (length < 0 || Files.size(file) != HEADER + length) {
                throw new IOException("truncated cache file");
            }
            return new Meta(length, endEpoch, false);
        }
    }

    private Path file(BlobId blobId) {
        return directory.resolve(blobId + SUFFIX);
    }

    /** The blob if it is cached and its file is intact, else {@code null}. */
    Hit get(BlobId blobId) {
        Meta meta;
        synchronized (this) {
            meta = index.get(blobId);
        }
        if (meta == null) {
            return null;
        }
        Path file = file(blobId);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(HEADER);
            byte[] data = in.readAllBytes();
            ByteBuffer head = ByteBuffer.wrap(header);
            byte[] magic = new byte[MAGIC.length];
            head.get(magic);
            head.getInt();
            long length = head.getLong();
            byte[] digest = new byte[32];
            head.get(digest);
            if (!Arrays.equals(magic, MAGIC) || length != data.length || !Arrays.equals(digest, sha256(data))) {
                LOG.warn("cache file {} is damaged; removing it", file);
                remove(blobId);
                return null;
            }
            return new Hit(data, meta.endEpoch(), meta.confirmed());
        } catch (NoSuchFileException e) {
            synchronized (this) {
                Meta current = index.get(blobId);
                if (current == meta) {
                    index.remove(blobId);
                    usedBytes -= meta.size();
                }
            }
            return null;
        } catch (IOException e) {
            LOG.warn("reading cache file {} failed: {}", file, e.getMessage());
            return null;
        }
    }

    /** Stores a verified blob; a blob larger than the whole capacity is not stored. */
    void put(BlobId blobId, byte[] data, int endEpoch) {
        if (data.length > capacity) {
            return;
        }
        Path file = file(blobId);
        Path temporary = directory.resolve(blobId + "." + Thread.currentThread().threadId() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                header.put(MAGIC).putInt(endEpoch).putLong(data.length).put(sha256(data));
                out.write(header.array());
                out.write(data);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("writing cache file {} failed: {}", file, e.getMessage());
            quietlyDelete(temporary);
            return;
        }
        synchronized (this) {
            Meta previous = index.put(blobId, new Meta(data.length, endEpoch, true));
            usedBytes += data.length - (previous == null ? 0 : previous.size());
            trim();
        }
    }

    /** Removes a blob (deleted, invalid or expired). */
    void remove(BlobId blobId) {
        synchronized (this) {
            Meta meta = index.remove(blobId);
            if (meta == null) {
                return;
            }
            usedBytes -= meta.size();
        }
        quietlyDelete(file(blobId));
    }

    /** Marks an entry loaded at start-up as checked against the control plane, with its current end epoch. */
    synchronized void confirm(BlobId blobId, int endEpoch) {
        Meta meta = index.get(blobId);
        if (meta != null) {
            index.put(blobId, new Meta(meta.size(), endEpoch, true));
        }
    }

    /** Records a later end epoch (an extension). */
    synchronized void extend(BlobId blobId, int endEpoch) {
        Meta meta = index.get(blobId);
        if (meta != null && endEpoch > meta.endEpoch()) {
            index.put(blobId, new Meta(meta.size(), endEpoch, meta.confirmed()));
        }
    }

    /** Removes every blob whose storage ends at or before {@code epoch}. */
    void expire(int epoch) {
        List<BlobId> expired = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<BlobId, Meta> entry : index.entrySet()) {
                if (entry.getValue().endEpoch() <= epoch) {
                    expired.add(entry.getKey());
                }
            }
        }
        expired.forEach(this::remove);
    }

    synchronized int size() {
        return index.size();
    }

    synchronized long usedBytes() {
        return usedBytes;
    }

    /** Evicts least recently used entries until the data fits. Caller holds the lock. */
    private void trim() {
        Iterator<Map.Entry<BlobId, Meta>> eldest = index.entrySet().iterator();
        while (usedBytes > capacity && eldest.hasNext()) {
            Map.Entry<BlobId, Meta> entry = eldest.next();
            eldest.remove();
            usedBytes -= entry.getValue().size();
            quietlyDelete(file(entry.getKey()));
        }
    }

    private static void quietlyDelete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("deleting cache file {} failed: {}", file, e.getMessage());
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
