package io.tusk.gateway;

import io.tusk.client.AccountKeys;
import io.tusk.client.ClientConfig;
import io.tusk.client.TuskClient;
import io.tusk.core.api.ErrorDomains;
import io.tusk.core.api.ErrorReason;
import io.tusk.gateway.auth.PublisherAuth;
import io.tusk.gateway.console.ConsoleRoutes;
import io.tusk.gateway.console.NetworkOverview;
import io.tusk.http.HttpServerBuilder;
import io.tusk.http.Response;
import io.tusk.http.RouteOptions;
import io.tusk.http.ServerMetrics;
import io.tusk.http.TuskHttpServer;
import io.tusk.memory.MemoryOptions;
import io.tusk.memory.embedding.Embedder;
import io.tusk.s3.S3Account;
import io.tusk.s3.S3Config;
import io.tusk.s3.S3Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Walrus-compatible publisher and aggregator (Walrus's "daemon") in front of a Tusk network, with an edge cache.
 * <pre>{@code
 * try (Gateway gateway = Gateway.start(GatewayConfig.load(Path.of("gateway.yaml")))) { ... }
 * }</pre>
 * Routes (errors are AIP-193 JSON under the domain {@code daemon.walrus.space}; CORS is open, with preflight):
 * <ul>
 *   <li>{@code GET /status}: {@code OK}; {@code GET /v1/api}: the OpenAPI 3 description (YAML);
 *       {@code GET /metrics}: Prometheus text (docs/operations.md); {@code GET /console}: the web console
 *       ({@link ConsoleRoutes});</li>
 *   <li>{@code PUT /v1/blobs}: {@link Publisher};</li>
 *   <li>{@code GET|HEAD /v1/blobs/{blobId}}, {@code GET /v1/blobs/{blobId}/byte-range},
 *       {@code GET|HEAD /v1/blobs/by-object-id/{objectId}}: {@link Aggregator};</li>
 *   <li>{@code /v1/spaces/...}: {@link SpaceRoutes}, spaces owned by the gateway's account (docs/spaces.md);</li>
 *   <li>{@code /v1/memory/...}: {@link MemoryRoutes}, memory collections on those spaces (docs/memory.md).</li>
 * </ul>
 * With {@code s3Port} set it also serves the S3 API ({@link S3Server}, docs/s3.md) on that port, acting for the
 * gateway's account: on a port of its own, so no bucket name collides with the routes above.
 * Thread-safe; {@link #close()} stops serving and releases the port.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    static final String OPENAPI_RESOURCE = "openapi.yaml";

    private final GatewayConfig config;
    private final List<AutoCloseable> parts = new ArrayList<>(); // closed in reverse order
    private TuskHttpServer server;
    private S3Server s3;
    private BlobCache cache;
    private CacheInvalidator invalidator;
    private RequestLimiter publisherLimiter;
    private ServerMetrics metrics;
    private PublisherAuth auth = PublisherAuth.OFF;
    private String publisherAddress;

    private Gateway(GatewayConfig config) {
        this.config = config;
    }

    /**
     * Starts a gateway: loads (or creates) the account key, opens the cache, follows the control plane's events and
     * serves HTTP.
     *
     * @throws IOException if the key or the cache directory cannot be read, or the port cannot be bound
     */
    public static Gateway start(GatewayConfig config) throws IOException {
        Gateway gateway = new Gateway(config);
        try {
            gateway.startParts();
        } catch (IOException | RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    private void startParts() throws IOException {
        metrics = ServerMetrics.create();
        parts.add(metrics);
        TuskClient client = new TuskClient(ClientConfig.of(config.controlUrl(),
                AccountKeys.loadOrCreate(config.accountKeyFile())), metrics.registry());
        parts.add(client);
        publisherAddress = client.config().account().publicKey().address().toString();
        cache = new BlobCache(config.memoryCacheBytes(), config.diskCacheBytes(), config.cacheDir());
        parts.add(cache);
        GatewayMetrics gatewayMetrics = new GatewayMetrics(metrics, cache);
        invalidator = new CacheInvalidator(client.control(), cache, config.eventWaitMillis(),
                config.eventStaleMillis());
        parts.add(invalidator);
        Aggregator aggregator = new Aggregator(client, cache, invalidator,
                new RequestLimiter("aggregator", config.aggregatorConcurrency(), config.aggregatorQueue()), config);
        parts.add(aggregator);
        publisherLimiter = new RequestLimiter("publisher", config.publisherConcurrency(), config.publisherQueue());
        auth = PublisherAuth.of(config.auth(), replayFile(config));
        parts.add(auth);
        Publisher publisher = new Publisher(client, cache, publisherLimiter, config, gatewayMetrics, auth);
        parts.add(publisher);
        // The relay spends no funds (its users registered and pay), but CPU and node bandwidth: limited on its own.
        RelayPayments payments = null;
        if (config.relay().tip().required()) {
            // Paid to the configured address, by default to the gateway's own account.
            payments = RelayPayments.open(client, config.relay().tip().address() != null ? config.relay().tip()
                            : config.relay().tip().withAddress(publisherAddress),
                    config.relay().maxAgeEpochs(), config.relay().usedCapacity(),
                    config.accountKeyFile().toAbsolutePath().resolveSibling(RelayPayments.FILE_NAME));
            parts.add(payments);
        }
        UploadRelay relay = new UploadRelay(client, new RequestLimiter("relay", config.publisherConcurrency(),
                config.publisherQueue()), gatewayMetrics, payments);
        byte[] openApi = openApi();

        // The server's own handler timeout (answered 503) lies past the gateway's read and store timeouts, which
        // answer 504 with a clear message first.
        RouteOptions reads = RouteOptions.timeout(Duration.ofMillis(config.readTimeoutMillis() + 30_000));
        // PUT /v1/blobs accepts up to maxFileBytes (large files stream into chunks, each chunk with its own retries
        // and timeouts, so the whole upload is not bounded by the one-blob store timeout); the publisher itself
        // answers 413 above maxBodyBytes when large files are off or the body has no Content-Length.
        RouteOptions stores = config.maxFileBytes() > config.maxBodyBytes()
                ? new RouteOptions(config.maxFileBytes(), Duration.ofHours(24))
                : new RouteOptions(config.maxBodyBytes(), Duration.ofMillis(config.storeTimeoutMillis() + 30_000));
        NetworkOverview overview = new NetworkOverview(client.control(), Duration.ofSeconds(3));
        io.tusk.spaces.Spaces spaces = new io.tusk.spaces.Spaces(client);
        parts.add(spaces);
        MemoryCollections memories = new MemoryCollections(spaces, Embedder::local, MemoryOptions.DEFAULT);
        parts.add(memories);
        HttpServerBuilder builder = HttpServerBuilder.create("gateway")
                .host(config.bindHost()).port(config.port()).domain(ErrorDomains.GATEWAY)
                .metrics(metrics)
                .parameterErrors(ErrorReason.MALFORMED_REQUEST)
                .maxBodyBytes(0)
                .get("/status", request -> Response.text(200, "OK"))
                .get("/v1/api", request -> Response.bytes(200, "application/yaml", openApi))
                .put("/v1/blobs", stores, PublisherAuth.answering(publisher::putBlob))
                .put("/v1/quilts", new RouteOptions(config.maxQuiltBodyBytes(),
                        Duration.ofMillis(config.storeTimeoutMillis() + 30_000)), PublisherAuth.answering(publisher::putQuilt))
                .post("/v1/blob-upload-relay", new RouteOptions(Math.max(config.maxFileBytes(), config.maxBodyBytes()),
                        Duration.ofHours(1)), relay::upload)
                .get("/v1/tip-config", relay::tipConfig)
                .get("/v1/blobs/by-quilt-patch-id/{patchId}", reads, aggregator::quiltPatchById)
                .get("/v1/blobs/by-quilt-id/{quiltId}/{identifier}", reads, aggregator::quiltPatchByIdentifier)
                .get("/v1/quilts/{quiltId}/patches", reads, aggregator::quiltPatches)
                .get("/v1/blobs/{blobId}", reads, aggregator::blob)
                .route("HEAD", "/v1/blobs/{blobId}", reads, aggregator::blob)
                .get("/v1/blobs/{blobId}/byte-range", reads, aggregator::byteRange)
                .get("/v1/blobs/by-object-id/{objectId}", reads, aggregator::blobByObjectId)
                .route("HEAD", "/v1/blobs/by-object-id/{objectId}", reads, aggregator::blobByObjectId);
        new SpaceRoutes(spaces, config, auth).register(builder);
        new MemoryRoutes(memories, config, auth).register(builder);
        server = ConsoleRoutes.register(builder, overview, metrics).start();
        parts.add(server);
        if (config.s3Port() >= 0) {
            s3 = S3Server.start(S3Config.defaults().withHost(config.bindHost()).withPort(config.s3Port()),
                    List.of(S3Account.of(client)));
            parts.add(s3);
        }
        LOG.info("gateway serving {} (control plane {}, account {}, cache {} B memory, {}, publisher auth {})",
                server.uri(), config.controlUrl(), client.config().account().publicKey().address(),
                config.memoryCacheBytes(), config.cacheDir() == null ? "no disk cache"
                        : config.diskCacheBytes() + " B disk in " + config.cacheDir(), config.auth());
        openPublisherWarning().ifPresent(LOG::warn);
    }

    /**
     * The warning for a publisher anyone on the network can spend from: bound to an address other than loopback
     * without JWT signatures checked. Empty when it is safe (loopback only, or signatures are checked).
     */
    java.util.Optional<String> openPublisherWarning() {
        if (config.auth().verifiesSignatures() || loopbackOnly(config.bindHost())) {
            return java.util.Optional.empty();
        }
        String line = "!".repeat(100);
        return java.util.Optional.of("\n" + line + "\n!! The publisher at " + uri() + " is bound to "
                + config.bindHost() + ", reachable from other machines, WITHOUT authentication: anyone who reaches it "
                + "stores at the cost of account " + publisherAddress + ".\n!! Set jwtDecodeSecret (tusk gateway "
                + "--jwt-decode-secret, docs/gateway.md) or bind to 127.0.0.1.\n" + line);
    }

    private static boolean loopbackOnly(String host) {
        try {
            for (java.net.InetAddress address : java.net.InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (java.net.UnknownHostException e) {
            return false; // the server bound it somehow; assume the worst
        }
    }

    /**
     * Where the publisher keeps the IDs of used tokens with {@code --jwt-verify-upload}: beside its account key (the
     * gateway's own directory, which the key already needs to be private and lasting).
     */
    public static Path replayFile(GatewayConfig config) {
        return config.accountKeyFile().toAbsolutePath().resolveSibling(REPLAY_FILE);
    }

    /** The file name of {@link #replayFile}. */
    public static final String REPLAY_FILE = "publisher-used-jwt-ids";

    /** The publisher's authentication. */
    public PublisherAuth auth() {
        return auth;
    }

    static byte[] openApi() {
        try (InputStream in = Gateway.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI description " + OPENAPI_RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public GatewayConfig config() {
        return config;
    }

    /** The bound port (the real one when the configuration asked for port 0). */
    public int port() {
        return server.port();
    }

    /** {@code http://host:port}: both the publisher's and the aggregator's base URL. */
    public URI uri() {
        return server.uri();
    }

    /** The S3 API's endpoint ({@code http://host:port}), if this gateway serves it. */
    public java.util.Optional<URI> s3Uri() {
        return java.util.Optional.ofNullable(s3).map(S3Server::uri);
    }

    /** The S3 credentials of the gateway's account (derived from its key: {@link io.tusk.s3.AccessKeys}). */
    public io.tusk.s3.Credentials s3Credentials() throws IOException {
        return io.tusk.s3.AccessKeys.derive(AccountKeys.load(config.accountKeyFile()));
    }

    BlobCache cache() {
        return cache;
    }

    RequestLimiter publisherLimiter() {
        return publisherLimiter;
    }

    CacheInvalidator invalidator() {
        return invalidator;
    }

    /** The gateway's meters, served at {@code /metrics}. */
    public ServerMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        parts.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
