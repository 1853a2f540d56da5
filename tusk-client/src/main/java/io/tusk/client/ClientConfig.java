package io.tusk.client;

import io.tusk.core.crypto.Ed25519KeyPair;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a client needs: the control plane's replica URLs, the account key that signs commands and owns blobs, and
 * limits.
 *
 * @param controlUrl            base URLs of the control plane's replicas (one, or the group's; the client follows
 *                              the leader among them)
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
public record ClientConfig(List<URI> controlUrl, Ed25519KeyPair account, Duration requestTimeout,
                           int maxConcurrentRequests, Duration registrationWait, Path spillDirectory,
                           long encodingHeapBytes, Path blobCacheDirectory, long blobCacheBytes) {
    public ClientConfig {
        controlUrl = List.copyOf(Objects.requireNonNull(controlUrl, "controlUrl"));
        if (controlUrl.isEmpty()) {
            throw new IllegalArgumentException("controlUrl needs at least one URL");
        }
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

    /** A client of the control-plane replicas at {@code controlUrl}, with no spill directory and no blob cache. */
    public ClientConfig(List<URI> controlUrl, Ed25519KeyPair account, Duration requestTimeout,
                        int maxConcurrentRequests, Duration registrationWait) {
        this(controlUrl, account, requestTimeout, maxConcurrentRequests, registrationWait, null, 0, null, 0);
    }

    /** A client of one control-plane replica. */
    public ClientConfig(URI controlUrl, Ed25519KeyPair account, Duration requestTimeout, int maxConcurrentRequests,
                        Duration registrationWait) {
        this(List.of(controlUrl), account, requestTimeout, maxConcurrentRequests, registrationWait);
    }

    public static ClientConfig of(URI controlUrl, Ed25519KeyPair account) {
        return of(List.of(controlUrl), account);
    }

    public static ClientConfig of(List<URI> controlUrls, Ed25519KeyPair account) {
        return new ClientConfig(controlUrls, account, Duration.ofSeconds(30), 64, Duration.ofSeconds(10));
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
