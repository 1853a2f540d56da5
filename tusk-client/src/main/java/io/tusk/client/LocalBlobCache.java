package io.tusk.client;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Blobs this client has read, kept on disk (bounded, least recently used first out) and served again without any
 * network: a hit is verified against its blob ID (the blob is encoded again and its ID compared) before it is
 * returned, so a changed or damaged file is dropped, never served. It keeps serving while the network is unreachable.
 * Blobs deleted or expired are dropped when the client learns of it: it deletes one itself, a status query or a read
 * says it is gone, or the control plane reports an epoch at or past the end epoch recorded with it. (A deletable blob
 * that another account deletes is served until then; its bytes are still the ones its ID names.)
 *
 * <p>One file per blob, {@code <blobId>.<endEpoch>.<shardCount>}, holding the blob's bytes; the shard count says how
 * to verify it, the end epoch when to drop it. Files are written to a temporary name and renamed, so processes
 * sharing the directory (the CLI and its daemon) never see half a blob. Thread-safe.
 */
public final class LocalBlobCache {
    private static final Logger LOG = LoggerFactory.getLogger(LocalBlobCache.class);
    /** The highest epoch swept for expired entries, shared by the processes using the directory. */
    private static final String SWEPT_EPOCH_FILE = "swept-epoch";

    private final Path directory;
    private final long maxBytes;
    private final long maxBlobBytes;
    private volatile int sweptEpoch = -1;

    /**
     * @param maxBytes     bytes of blobs kept at most; the least recently read go first
     * @param maxBlobBytes larger blobs are not kept
     */
    public LocalBlobCache(Path directory, long maxBytes, long maxBlobBytes) {
        if (maxBytes < 1 || maxBlobBytes < 1) {
            throw new IllegalArgumentException("cache limits must be positive, got " + maxBytes + " and " + maxBlobBytes);
        }
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.maxBlobBytes = Math.min(maxBlobBytes, Math.min(maxBytes, Integer.MAX_VALUE - 8));
    }

    public Path directory() {
        return directory;
    }

    /** The most bytes of blobs kept. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The blob's bytes if they are here and verify against {@code blobId}; an entry that does not verify is removed.
     * Never touches the network.
     */
    public Optional<byte[]> get(BlobId blobId) {
        Path entry = find(blobId);
        if (entry == null) {
            return Optional.empty();
        }
        byte[] blob;
        try {
            blob = Files.readAllBytes(entry);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // evicted meanwhile
        } catch (IOException e) {
            LOG.warn("cannot read cached blob {}: {}", entry, e.getMessage());
            return Optional.empty();
        }
        int shardCount = Integer.parseInt(entry.getFileName().toString().substring(entry.getFileName().toString().lastIndexOf('.') + 1));
        BlobId actual = new BlobEncoder(new EncodingConfig(shardCount)).computeMetadata(blob).blobId();
        if (!actual.equals(blobId)) {
            LOG.warn("cached blob {} does not verify (its bytes encode to {}); dropped", blobId, actual);
            delete(entry);
            return Optional.empty();
        }
        try {
            Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis())); // recently used
        } catch (IOException e) {
            // evicted meanwhile, or a read-only cache: still a valid hit
        }
        return Optional.of(blob);
    }

    /**
     * Keeps a blob just read and verified by the network read path, certified until {@code endEpoch} (exclusive) on a
     * committee of {@code shardCount} shards; older entries go if the cache would exceed its size. Failures to write
     * are logged, not thrown: the cache is an optimisation of reads.
     */
    public void put(BlobId blobId, byte[] blob, int endEpoch, int shardCount) {
        if (blob.length > maxBlobBytes || endEpoch <= sweptEpoch) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Path existing = find(blobId);
            Path target = directory.resolve(blobId + "." + endEpoch + "." + shardCount);
            if (existing != null && existing.equals(target)) {
                return;
            }
            Path temporary = Files.createTempFile(directory, ".put-", ".tmp");
            try {
                Files.write(temporary, blob);
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            if (existing != null) {
                delete(existing);
            }
            trim();
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot cache blob {} in {}: {}", blobId, directory, e.getMessage());
        }
    }

    /** Drops the blob (deleted, expired or invalid). */
    public void evict(BlobId blobId) {
        Path entry = find(blobId);
        if (entry != null) {
            delete(entry);
        }
    }

    /**
     * The control plane reports {@code epoch}: blobs whose end epoch is at or before it have expired and are dropped.
     * Sweeps the directory only when the epoch is newer than any sweep of it so far (by any process).
     */
    public void observeEpoch(int epoch) {
        if (epoch <= sweptEpoch) {
            return;
        }
        int swept = readSweptEpoch();
        if (epoch > swept) {
            for (Path entry : entries()) {
                if (endEpoch(entry) <= epoch) {
                    LOG.debug("cached blob {} expired in epoch {}; dropped", entry.getFileName(), epoch);
                    delete(entry);
                }
            }
            writeSweptEpoch(epoch);
        }
        sweptEpoch = Math.max(epoch, swept);
    }

    /** Bytes held now. */
    public long size() {
        long total = 0;
        for (Path entry : entries()) {
            try {
                total += Files.size(entry);
            } catch (IOException e) {
                // evicted meanwhile
            }
        }
        return total;
    }

    /** Drops the least recently used entries until the cache is within its size. */
    private void trim() throws IOException {
        List<Path> entries = entries();
        record Entry(Path path, long size, long used) {}
        List<Entry> known = new ArrayList<>();
        long total = 0;
        for (Path path : entries) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                known.add(new Entry(path, attributes.size(), attributes.lastModifiedTime().toMillis()));
                total += attributes.size();
            } catch (NoSuchFileException e) {
                // evicted meanwhile
            }
        }
        if (total <= maxBytes) {
            return;
        }
        known.sort(Comparator.comparingLong(Entry::used));
        for (Entry entry : known) {
            if (total <= maxBytes) {
                break;
            }
            delete(entry.path());
            total -= entry.size();
        }
    }

    private Path find(BlobId blobId) {
        String prefix = blobId + ".";
        try (DirectoryStream<Path> matches = Files.newDirectoryStream(directory, prefix + "*")) {
            for (Path match : matches) {
                if (isEntry(match.getFileName().toString())) {
                    return match;
                }
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("cannot look into the blob cache {}: {}", directory, e.getMessage());
        }
        return null;
    }

    private List<Path> entries() {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(directory)) {
            for (Path path : all) {
                if (isEntry(path.getFileName().toString())) {
                    entries.add(path);
                }
            }
        } catch (NoSuchFileException e) {
            return entries;
        } catch (IOException e) {
            LOG.warn("cannot list the blob cache {}: {}", directory, e.getMessage());
        }
        return entries;
    }

    /** {@code <43 base64url characters>.<end epoch>.<shard count>}. */
    private static boolean isEntry(String name) {
        String[] parts = name.split("\\.");
        return parts.length == 3 && parts[0].length() == 43 && parts[1].chars().allMatch(Character::isDigit)
                && parts[2].chars().allMatch(Character::isDigit) && !parts[1].isEmpty() && !parts[2].isEmpty()
                && parts[1].length() < 10 && parts[2].length() < 6;
    }

    private static int endEpoch(Path entry) {
        return Integer.parseInt(entry.getFileName().toString().split("\\.")[1]);
    }

    private int readSweptEpoch() {
        try {
            return Integer.parseInt(Files.readString(directory.resolve(SWEPT_EPOCH_FILE)).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private void writeSweptEpoch(int epoch) {
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, ".epoch-", ".tmp");
            Files.writeString(temporary, Integer.toString(epoch));
            Files.move(temporary, directory.resolve(SWEPT_EPOCH_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot record the swept epoch in {}: {}", directory, e.getMessage());
        }
    }

    private static void delete(Path entry) {
        try {
            Files.deleteIfExists(entry);
        } catch (IOException e) {
            LOG.warn("cannot remove cached blob {}: {}", entry, e.getMessage());
        }
    }
}
