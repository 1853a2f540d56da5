package io.tusk.client;

import io.tusk.core.crypto.Ed25519KeyPair;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a client needs: the control plane's URL, the account key that signs commands and owns blobs, and limits.
 *
 * @param controlUrl            base URL of the control plane's HTTP API
 * @param account               the account's Ed25519 key
 * @param requestTimeout        timeout of one HTTP request to a node
 * @param maxConcurrentRequests requests in flight to all nodes together
 * @param registrationWait      how long a node may take to see a registration before it confirms
 * @param spillDirectory        where blobs too large for the heap are encoded (temporary files, deleted when a store
 *                              ends); null = {@code java.io.tmpdir}
 * @param encodingHeapBytes     heap that this client's encodings may hold at once; a blob that would not fit is
 *                              encoded from a file with its slivers in {@code spillDirectory}; 0 = half the heap
 * @param blobCacheDirectory    where blobs read are kept and served again without network ({@link LocalBlobCache});
 *                              null = no cache
 * @param blobCacheBytes        the cache's size
 */
public record ClientConfig(URI controlUrl, Ed25519KeyPair account, Duration requestTimeout, int maxConcurrentRequests,
                           Duration registrationWait, Path spillDirectory, long encodingHeapBytes,
                           Path blobCacheDirectory, long blobCacheBytes) {
    public ClientConfig {
        Objects.requireNonNull(controlUrl, "controlUrl");
        Objects.requireNonNull(account, "account");
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("maxConcurrentRequests must be at least 1, got " + maxConcurrentRequests);
        }
        if (encodingHeapBytes < 0) {
            throw new IllegalArgumentException("encodingHeapBytes must be >= 0 (0 = half the heap), got " + encodingHeapBytes);
        }
        if (blobCacheDirectory != null && blobCacheBytes < 1) {
            throw new IllegalArgumentException("blobCacheBytes must be at least 1 with a cache directory, got " + blobCacheBytes);
        }
    }

    public ClientConfig(URI controlUrl, Ed25519KeyPair account, Duration requestTimeout, int maxConcurrentRequests,
                        Duration registrationWait) {
        this(controlUrl, account, requestTimeout, maxConcurrentRequests, registrationWait, null, 0, null, 0);
    }

    public static ClientConfig of(URI controlUrl, Ed25519KeyPair account) {
        return new ClientConfig(controlUrl, account, Duration.ofSeconds(30), 64, Duration.ofSeconds(10));
    }

    /** The same with {@code encodingHeapBytes} (0 = half the heap). */
    public ClientConfig withEncodingHeapBytes(long bytes) {
        return new ClientConfig(controlUrl, account, requestTimeout, maxConcurrentRequests, registrationWait,
                spillDirectory, bytes, blobCacheDirectory, blobCacheBytes);
    }

    /** The same with {@code spillDirectory} (null = {@code java.io.tmpdir}). */
    public ClientConfig withSpillDirectory(Path directory) {
        return new ClientConfig(controlUrl, account, requestTimeout, maxConcurrentRequests, registrationWait,
                directory, encodingHeapBytes, blobCacheDirectory, blobCacheBytes);
    }

    /** The same with a blob cache of {@code bytes} in {@code directory} (null = none). */
    public ClientConfig withBlobCache(Path directory, long bytes) {
        return new ClientConfig(controlUrl, account, requestTimeout, maxConcurrentRequests, registrationWait,
                spillDirectory, encodingHeapBytes, directory, bytes);
    }
}
