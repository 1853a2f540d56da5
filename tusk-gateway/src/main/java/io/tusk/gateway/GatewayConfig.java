package io.tusk.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.client.RelayTip;
import io.tusk.http.ConfigFile;
import io.tusk.gateway.auth.JwtAlgorithm;
import io.tusk.gateway.auth.PublisherAuthConfig;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The gateway's configuration, loaded from a flat YAML file (bound by Jackson, {@link FileForm}). Only {@code controlUrl} and {@code accountKeyFile} are
 * required; relative paths are resolved against the file's directory; unknown keys are refused so that typos do not
 * pass silently. Defaults follow Walrus's daemon where it has one.
 *
 * <pre>
 * bindHost: 127.0.0.1              # default 127.0.0.1
 * port: 31415                      # default 31415 (Walrus's); 0 = any free port
 * controlUrl: http://127.0.0.1:9180
 * accountKeyFile: wallet.key       # the publisher's account: it pays for and owns what it stores
 * maxBodyBytes: 10485760           # PUT /v1/blobs body limit (Walrus: 10 MiB); over it 413
 * maxBlobBytes: 268435456          # largest blob the aggregator serves; over it 403 BLOB_TOO_LARGE
 * readMemoryBytes: 1073741824      # heap for cold reads in flight (each holds 2x its blob); more reads wait
 * publisherConcurrency: 8          # stores running at once (Walrus: 8)
 * publisherQueue: 8                #   and waiting; beyond both 429 (Walrus: 8)
 * aggregatorConcurrency: 256       # cold reads running at once (Walrus: 256); cache hits are not limited
 * aggregatorQueue: 320             #   and waiting; beyond both 429
 * readTimeoutMillis: 30000         # a cold read slower than this answers 504 NODES_TIMED_OUT
 * storeTimeoutMillis: 120000       # a store slower than this answers 504 INSUFFICIENT_CONFIRMATIONS
 * memoryCacheBytes: 268435456      # verified blobs kept in memory (0 = none)
 * diskCacheBytes: 1073741824       # and on disk, if cacheDir is set
 * cacheDir: cache                  # optional
 * eventWaitMillis: 10000           # long poll on the control plane's event stream (cache eviction)
 * eventStaleMillis: 30000          # if the event stream has been unreachable longer, cache hits re-check status
 * maxQuiltBodyBytes: 104857600     # PUT /v1/quilts body limit (Walrus: 100 MiB); over it 413
 * maxFileBytes: 68719476736        # PUT /v1/blobs bodies above maxBodyBytes with a Content-Length up to this are
 *                                  #   one blob if they fit in one (written to disk as they arrive when large), else
 *                                  #   streamed into chunks + a manifest (docs/large-files.md); 0 = off (413)
 * maxCachedBlobBytes: 16777216     # blobs larger than this are served but never cached
 * chunkBytes: 0                    # 0: a body that fits in one blob is one blob, a larger one 16 MiB chunks;
 *                                  #   N > 0: bodies larger than N are chunks of N (at most the largest blob)
 * jwtDecodeSecret: 0x6b6579       # the publisher's JWT key (Walrus's --jwt-decode-secret): 0x-hex or text; HMAC
 *                                  #   secret, or the issuer's public key for ES/RS/PS/EdDSA (see PublisherAuthConfig)
 * jwtAlgorithm: HS256              # HS256 HS384 HS512 ES256 ES384 RS256 RS384 RS512 PS256 PS384 PS512 EdDSA
 * jwtExpiringSec: 0                # > 0: tokens must carry iat and live exactly this long (exp - iat)
 * jwtVerifyUpload: false           # check epochs/size/send_object_to claims against the request; jti used once
 * jwtCacheSize: 10000              # most unexpired used jti kept (then further tokens are refused 429)
 * s3Port: -1                       # the S3 API's port (docs/s3.md), for the gateway's account; 0 = any free port,
 *                                  #   -1 = no S3 API (the default)
 * relayTip: {kind: {const: 105}}   # the upload relay's tip (docs/upload-relay.md), Walrus's send_tip body (or its
 *                                  #   whole TipConfig, {send_tip: {...}} / no_tip): address
 *                                  #   (default: the gateway's account) and kind {const: N} or {linear: {base: B,
 *                                  #   encoded_size_mul_per_kib: M}}; absent or no_tip: free (the default)
 * relayTipMaxAgeEpochs: 1          # payments of the current epoch and this many before are accepted
 * relayTipCacheSize: 100000        # most used payments kept (then further paid uploads are refused 429)
 * </pre>
 * Authentication is on when any of jwtDecodeSecret, jwtExpiringSec or jwtVerifyUpload is set (as in Walrus); it
 * guards the routes that spend the publisher's funds ({@code PUT /v1/blobs}, {@code PUT /v1/quilts}, space writes).
 */
public record GatewayConfig(String bindHost, int port, List<URI> controlUrl, Path accountKeyFile, long maxBodyBytes,
                            long maxBlobBytes, long readMemoryBytes, int publisherConcurrency, int publisherQueue, int aggregatorConcurrency,
                            int aggregatorQueue, long readTimeoutMillis, long storeTimeoutMillis, long memoryCacheBytes,
                            long diskCacheBytes, Path cacheDir, long eventWaitMillis, long eventStaleMillis,
                            long maxQuiltBodyBytes, long maxFileBytes, long maxCachedBlobBytes, long chunkBytes,
                            PublisherAuthConfig auth, int s3Port, UploadRelayConfig relay) {

    public static final int PORT_DEFAULT = 31415;
    public GatewayConfig {
        require(bindHost != null && !bindHost.isBlank(), "bindHost", bindHost);
        require(port >= 0 && port <= 65535, "port", port);
        require(controlUrl != null, "controlUrl", controlUrl);
        require(accountKeyFile != null, "accountKeyFile", accountKeyFile);
        require(maxBodyBytes >= 0, "maxBodyBytes", maxBodyBytes);
        require(maxBlobBytes > 0 && maxBlobBytes <= Integer.MAX_VALUE - 16, "maxBlobBytes", maxBlobBytes);
        require(readMemoryBytes >= 1024, "readMemoryBytes", readMemoryBytes);
        require(publisherConcurrency >= 1, "publisherConcurrency", publisherConcurrency);
        require(publisherQueue >= 0, "publisherQueue", publisherQueue);
        require(aggregatorConcurrency >= 1, "aggregatorConcurrency", aggregatorConcurrency);
        require(aggregatorQueue >= 0, "aggregatorQueue", aggregatorQueue);
        require(readTimeoutMillis >= 1, "readTimeoutMillis", readTimeoutMillis);
        require(storeTimeoutMillis >= 1, "storeTimeoutMillis", storeTimeoutMillis);
        require(memoryCacheBytes >= 0, "memoryCacheBytes", memoryCacheBytes);
        require(diskCacheBytes >= 0, "diskCacheBytes", diskCacheBytes);
        require(eventWaitMillis >= 0 && eventWaitMillis <= 30_000, "eventWaitMillis", eventWaitMillis);
        require(eventStaleMillis >= 1, "eventStaleMillis", eventStaleMillis);
        require(maxQuiltBodyBytes >= 0 && maxQuiltBodyBytes <= Integer.MAX_VALUE - 16, "maxQuiltBodyBytes", maxQuiltBodyBytes);
        require(maxFileBytes >= 0, "maxFileBytes", maxFileBytes);
        require(maxCachedBlobBytes >= 0, "maxCachedBlobBytes", maxCachedBlobBytes);
        require(chunkBytes >= 0 && chunkBytes <= Integer.MAX_VALUE - 16, "chunkBytes", chunkBytes);
        if (auth == null) {
            auth = PublisherAuthConfig.NONE;
        }
        require(s3Port >= -1 && s3Port <= 65535, "s3Port", s3Port);
        if (relay == null) {
            relay = UploadRelayConfig.NO_TIP;
        }
    }

    private static void require(boolean ok, String key, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("gateway configuration: invalid " + key + ": " + value);
        }
    }

    /** Walrus's defaults, a memory cache of 256 MiB and no disk cache. */
    public static GatewayConfig of(URI controlUrl, Path accountKeyFile) {
        return of(List.of(controlUrl), accountKeyFile);
    }

    /** The same with the control plane's replica URLs (the gateway follows the leader among them). */
    public static GatewayConfig of(List<URI> controlUrl, Path accountKeyFile) {
        return new GatewayConfig("127.0.0.1", PORT_DEFAULT, controlUrl, accountKeyFile, 10L << 20, 256L << 20, 1L << 30,
                8, 8, 256, 320, 30_000, 120_000, 256L << 20, 1L << 30, null, 10_000, 30_000, 100L << 20, 64L << 30, 16L << 20, 0,
                PublisherAuthConfig.NONE, -1, UploadRelayConfig.NO_TIP);
    }

    public GatewayConfig withPort(int port) {
        return new GatewayConfig(bindHost, port, controlUrl, accountKeyFile, maxBodyBytes, maxBlobBytes,
                readMemoryBytes, publisherConcurrency, publisherQueue, aggregatorConcurrency, aggregatorQueue, readTimeoutMillis,
                storeTimeoutMillis, memoryCacheBytes, diskCacheBytes, cacheDir, eventWaitMillis, eventStaleMillis, maxQuiltBodyBytes, maxFileBytes, maxCachedBlobBytes, chunkBytes, auth, s3Port, relay);
    }

    public GatewayConfig withCache(long memoryBytes, long diskBytes, Path directory) {
        return new GatewayConfig(bindHost, port, controlUrl, accountKeyFile, maxBodyBytes, maxBlobBytes,
                readMemoryBytes, publisherConcurrency, publisherQueue, aggregatorConcurrency, aggregatorQueue, readTimeoutMillis,
                storeTimeoutMillis, memoryBytes, diskBytes, directory, eventWaitMillis, eventStaleMillis, maxQuiltBodyBytes, maxFileBytes, maxCachedBlobBytes, chunkBytes, auth, s3Port, relay);
    }

    public GatewayConfig withLimits(long maxBody, int publisherRunning, int publisherWaiting, int aggregatorRunning,
                                    int aggregatorWaiting) {
        return new GatewayConfig(bindHost, port, controlUrl, accountKeyFile, maxBody, maxBlobBytes,
                readMemoryBytes, publisherRunning, publisherWaiting, aggregatorRunning, aggregatorWaiting, readTimeoutMillis, storeTimeoutMillis,
                memoryCacheBytes, diskCacheBytes, cacheDir, eventWaitMillis, eventStaleMillis, maxQuiltBodyBytes, maxFileBytes, maxCachedBlobBytes, chunkBytes, auth, s3Port, relay);
    }

    public GatewayConfig withTimeouts(long readMillis, long storeMillis) {
        return new GatewayConfig(bindHost, port, controlUrl, accountKeyFile, maxBodyBytes, maxBlobBytes,
                readMemoryBytes, publisherConcurrency, publisherQueue, aggregatorConcurrency, aggregatorQueue, readMillis, storeMillis,
                memoryCacheBytes, diskCacheBytes, cacheDir, eventWaitMillis, eventStaleMillis, maxQuiltBodyBytes, maxFileBytes, maxCachedBlobBytes, chunkBytes, auth, s3Port, relay);
    }

    public GatewayConfig withMaxBlobBytes(long bytes) {
        return new GatewayConfig(bindHost, port, controlUrl, accountKeyFile, maxBodyBytes, bytes, readMemoryBytes,
                publisherConcurrency, publisherQueue, aggregatorConcurrency, aggregatorQueue, readTimeoutMillis,
                storeTimeoutMillis, memoryCacheBytes, diskCacheBytes, cacheDir, eventWaitMillis, eventStaleMillis, maxQuiltBodyBytes, maxFileBytes, maxCachedBlobBytes, chunkBytes, auth, s3Port, relay);
    }

    public GatewayConfig withLargeFiles(long maxFile, long maxCachedBlob, long chunk) {
        return new GatewayConfig(bindHost, port, controlUrl, accountKeyFile, maxBodyBytes, maxBlobBytes,
                readMemoryBytes, publisherConcurrency, publisherQueue, aggregatorConcurrency, aggregatorQueue, readTimeoutMillis,
                storeTimeoutMillis, memoryCacheBytes, diskCacheBytes, cacheDir, eventWaitMillis, eventStaleMillis,
                maxQuiltBodyBytes, maxFile, maxCachedBlob, chunk, auth, s3Port, relay);
    }

    /** The same gateway with the publisher's JWT authentication {@code auth} ({@link PublisherAuthConfig#NONE}: open). */
    public GatewayConfig withAuth(PublisherAuthConfig auth) {
        return new GatewayConfig(bindHost, port, controlUrl, accountKeyFile, maxBodyBytes, maxBlobBytes,
                readMemoryBytes, publisherConcurrency, publisherQueue, aggregatorConcurrency, aggregatorQueue, readTimeoutMillis,
                storeTimeoutMillis, memoryCacheBytes, diskCacheBytes, cacheDir, eventWaitMillis, eventStaleMillis,
                maxQuiltBodyBytes, maxFileBytes, maxCachedBlobBytes, chunkBytes, auth, s3Port, relay);
    }

    /** The same gateway whose upload relay asks {@code relay}'s tip. */
    public GatewayConfig withRelay(UploadRelayConfig relay) {
        return new GatewayConfig(bindHost, port, controlUrl, accountKeyFile, maxBodyBytes, maxBlobBytes,
                readMemoryBytes, publisherConcurrency, publisherQueue, aggregatorConcurrency, aggregatorQueue, readTimeoutMillis,
                storeTimeoutMillis, memoryCacheBytes, diskCacheBytes, cacheDir, eventWaitMillis, eventStaleMillis,
                maxQuiltBodyBytes, maxFileBytes, maxCachedBlobBytes, chunkBytes, auth, s3Port, relay);
    }

    /** Serves the S3 API on {@code port} (0: any free port; -1: none). */
    public GatewayConfig withS3Port(int port) {
        return new GatewayConfig(bindHost, this.port, controlUrl, accountKeyFile, maxBodyBytes, maxBlobBytes,
                readMemoryBytes, publisherConcurrency, publisherQueue, aggregatorConcurrency, aggregatorQueue, readTimeoutMillis,
                storeTimeoutMillis, memoryCacheBytes, diskCacheBytes, cacheDir, eventWaitMillis, eventStaleMillis,
                maxQuiltBodyBytes, maxFileBytes, maxCachedBlobBytes, chunkBytes, auth, port, relay);
    }

    /**
     * Reads a YAML configuration file.
     *
     * @throws IllegalArgumentException naming the key at fault for a missing, unknown or invalid key
     */
    public static GatewayConfig load(Path file) throws IOException {
        return ConfigFile.read(file, FileForm.class).toConfig(file.toAbsolutePath().getParent(), file);
    }

    /**
     * A gateway configuration file as written, bound by Jackson ({@link ConfigFile}): every key optional here (absent
     * = null); {@link #toConfig} applies the defaults of {@link #of} and the checks. The component names are the keys.
     */
    record FileForm(String bindHost, Integer port, JsonNode controlUrl, String accountKeyFile, Long maxBodyBytes,
                    Long maxBlobBytes, Long readMemoryBytes, Integer publisherConcurrency, Integer publisherQueue,
                    Integer aggregatorConcurrency, Integer aggregatorQueue, Long readTimeoutMillis,
                    Long storeTimeoutMillis, Long memoryCacheBytes, Long diskCacheBytes, String cacheDir,
                    Long eventWaitMillis, Long eventStaleMillis, Long maxQuiltBodyBytes, Long maxFileBytes,
                    Long maxCachedBlobBytes, Long chunkBytes, String jwtDecodeSecret, String jwtAlgorithm,
                    Long jwtExpiringSec, Boolean jwtVerifyUpload, Integer jwtCacheSize, Integer s3Port,
                    JsonNode relayTip, Integer relayTipMaxAgeEpochs, Integer relayTipCacheSize) {

        GatewayConfig toConfig(Path base, Path file) {
            if (controlUrl == null || accountKeyFile == null) {
                throw new IllegalArgumentException(file + ": controlUrl and accountKeyFile are required");
            }
            // one replica's URL, a comma-separated list, or a YAML list of them
            List<URI> control = io.tusk.control.client.ControlUrls.fromJson(controlUrl, file + ": controlUrl");
            GatewayConfig d = of(control, base.resolve(accountKeyFile));
            return new GatewayConfig(or(bindHost, d.bindHost()), or(port, d.port()), d.controlUrl(),
                    d.accountKeyFile(), or(maxBodyBytes, d.maxBodyBytes()), or(maxBlobBytes, d.maxBlobBytes()),
                    or(readMemoryBytes, d.readMemoryBytes()), or(publisherConcurrency, d.publisherConcurrency()),
                    or(publisherQueue, d.publisherQueue()), or(aggregatorConcurrency, d.aggregatorConcurrency()),
                    or(aggregatorQueue, d.aggregatorQueue()), or(readTimeoutMillis, d.readTimeoutMillis()),
                    or(storeTimeoutMillis, d.storeTimeoutMillis()), or(memoryCacheBytes, d.memoryCacheBytes()),
                    or(diskCacheBytes, d.diskCacheBytes()), cacheDir == null ? null : base.resolve(cacheDir),
                    or(eventWaitMillis, d.eventWaitMillis()), or(eventStaleMillis, d.eventStaleMillis()),
                    or(maxQuiltBodyBytes, d.maxQuiltBodyBytes()), or(maxFileBytes, d.maxFileBytes()),
                    or(maxCachedBlobBytes, d.maxCachedBlobBytes()), or(chunkBytes, d.chunkBytes()), auth(file),
                    or(s3Port, d.s3Port()), relay(file));
        }

        private UploadRelayConfig relay(Path file) {
            try {
                // Walrus's whole TipConfig (no_tip, {send_tip: {...}}) or just the send_tip body ({address?, kind})
                JsonNode walrusShape = relayTip != null && relayTip.isObject() && !relayTip.has("send_tip")
                        ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                                .set("send_tip", relayTip)
                        : relayTip;
                return new UploadRelayConfig(RelayTip.fromJson(walrusShape, false),
                        or(relayTipMaxAgeEpochs, UploadRelayConfig.NO_TIP.maxAgeEpochs()),
                        or(relayTipCacheSize, UploadRelayConfig.NO_TIP.usedCapacity()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": relayTip: " + e.getMessage(), e);
            }
        }

        private PublisherAuthConfig auth(Path file) {
            try {
                return new PublisherAuthConfig(jwtDecodeSecret,
                        JwtAlgorithm.parse(or(jwtAlgorithm, JwtAlgorithm.HS256.name())), or(jwtExpiringSec, 0L),
                        or(jwtVerifyUpload, false), or(jwtCacheSize, PublisherAuthConfig.CACHE_SIZE_DEFAULT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }

        private static <V> V or(V value, V absent) {
            return value != null ? value : absent;
        }
    }
}
