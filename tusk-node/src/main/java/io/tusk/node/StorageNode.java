package io.tusk.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.tusk.http.ServerMetrics;
import io.tusk.node.admin.AdminSocket;
import io.tusk.node.admin.Checkpoints;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.node.events.ControlSource;
import io.tusk.node.events.EventFollower;
import io.tusk.control.client.ControlClient;
import io.tusk.node.http.NodeHttpServer;
import io.tusk.node.recovery.RecoveryConfig;
import io.tusk.node.recovery.RecoveryManager;
import io.tusk.node.service.BlobEvents;
import io.tusk.node.service.CommitteeView;
import io.tusk.node.service.NodeMetrics;
import io.tusk.node.service.NodeState;
import io.tusk.node.service.NodeStatusKeys;
import io.tusk.node.service.StorageService;
import io.tusk.node.shards.ShardMetrics;
import io.tusk.node.store.NodeStore;
import io.tusk.node.store.PendingArea;
import io.tusk.node.store.StoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/**
 * A running storage node: RocksDB store, Walrus REST API on {@code bindHost:port}, and the event follower on the
 * control plane. {@link #start} returns once the API is serving; the follower learns the committee in the
 * background (a restarted node serves at once from the committee view it persisted).
 */
public final class StorageNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageNode.class);

    private final NodeConfig config;
    private final BlsKeyPair key;
    private final NodeStore store;
    private final StorageService service;
    private final NodeHttpServer http;
    private final EventFollower follower;
    private final RecoveryManager recovery;
    private final AutoCloseable controlResource;
    private final io.tusk.node.shards.ShardManager shards;
    private final io.tusk.node.shards.GarbageCollector gc;
    private final ServerMetrics serverMetrics;
    private final Checkpoints checkpoints;
    private final AdminSocket adminSocket;

    private StorageNode(NodeConfig config, ControlSource control, AutoCloseable controlResource,
                        ControlClient controlClient, RecoveryConfig recoveryConfig) throws IOException {
        this.config = config;
        this.controlResource = controlResource;
        this.key = loadOrCreateKey(config.blsKeyFile());
        // The SST files are checked on open when the slivers are (verifyOnStartup): both cost a read of the disk.
        this.store = NodeStore.open(config.dataDir(), new StoreOptions(config.syncDataWrites(),
                StoreOptions.DEFAULT.blockCacheBytes()).withVerifyFilesOnOpen(recoveryConfig.verifyOnStartup()));
        this.serverMetrics = ServerMetrics.create();
        try {
            CommitteeView view = store.nodeStatus(NodeStatusKeys.COMMITTEE).map(CommitteeView::fromBcs)
                    .orElse(CommitteeView.UNKNOWN);
            NodeState state = new NodeState(view);
            MeterRegistry registry = serverMetrics.registry();
            NodeMetrics metrics = new NodeMetrics(registry);
            new NodeStatusMetrics(serverMetrics, store, state);
            ShardMetrics shardMetrics = new ShardMetrics(registry);
            metrics.watch(store.health());
            PendingArea pending = new PendingArea(config.pendingMaxEntries(), config.pendingMaxBytes(),
                    config.pendingTtlMillis(), Clock.systemUTC());
            this.service = new StorageService(store, pending, state, key, metrics, config.maxConfirmationWaitMillis(),
                    config.maxLongPolls());
            this.shards = controlClient == null ? null : new io.tusk.node.shards.ShardManager(store, state, key,
                    loadOrCreateAccount(config.blsKeyFile().resolveSibling("account.key")), controlClient);
            if (shards != null) {
                shards.setMetrics(shardMetrics);
            }
            this.http = NodeHttpServer.start(service, shards, config.bindHost(), config.port(),
                    java.time.Duration.ofMillis(config.maxConfirmationWaitMillis() + 30_000), serverMetrics);
            BlobEvents blobEvents = new BlobEvents(service, metrics);
            this.recovery = new RecoveryManager(service, control, key.publicKey(), recoveryConfig, registry);
            store.setCorruptionListener(recovery);
            blobEvents.setCertifiedListener(recovery::onCertified);
            if (shards != null) {
                shards.setRecoveryFallback(recovery::recoverShards);
            }
            this.follower = new EventFollower(control, blobEvents, state, store, key.publicKey(),
                    config.eventPageSize(), config.eventWaitMillis(), 1_000);
            this.gc = new io.tusk.node.shards.GarbageCollector(store, shardMetrics);
            io.tusk.node.shards.ShardManager manager = shards;
            follower.setEpochListener(new io.tusk.node.shards.EpochListener() {
                @Override
                public void onEpochStart(long epoch) {
                    gc.collect(epoch);
                }

                @Override
                public void onCommitteeEvent() {
                    if (manager != null) {
                        manager.requestRefresh();
                    }
                }
            });
            follower.start();
            if (shards != null) {
                shards.requestRefresh();
            }
            recovery.start();
            this.checkpoints = new Checkpoints(store, config.checkpoints(), Clock.systemUTC(), registry).start();
            this.adminSocket = config.adminSocket() == null ? null : AdminSocket.start(config.adminSocket(), checkpoints);
        } catch (IOException | RuntimeException e) {
            closeAll(e);
            throw e;
        }
        LOG.info("storage node started url=http://{}:{} publicKey={} dataDir={}", config.bindHost(), port(),
                key.publicKey().toBase64(), config.dataDir());
    }

    /** Starts a node that follows the control plane at {@code config.controlUrl()}. */
    public static StorageNode start(NodeConfig config) throws IOException {
        return start(config, config.recovery());
    }

    /** Starts a node that follows the control plane at {@code config.controlUrl()}, with this recovery tuning. */
    public static StorageNode start(NodeConfig config, RecoveryConfig recoveryConfig) throws IOException {
        ControlClient client = new ControlClient(config.controlUrl());
        try {
            return new StorageNode(config, ControlSource.of(client), client, client, recoveryConfig);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Starts a node with another source of control-plane data (tests, in-process clusters). */
    public static StorageNode start(NodeConfig config, ControlSource control) throws IOException {
        return new StorageNode(config, control, () -> { }, null, config.recovery());
    }

    /**
     * Reads the 32-byte BLS secret (64 hex digits) from {@code file}, or creates the file with a new key (owner-only
     * permissions where the file system has them).
     */
    public static BlsKeyPair loadOrCreateKey(Path file) throws IOException {
        boolean created = !Files.exists(file);
        BlsKeyPair key = io.tusk.control.client.SecretFiles.loadOrCreate(file, "BLS key", BlsKeyPair::fromSecret,
                () -> BlsKeyPair.generate(io.tusk.control.client.SecretFiles.random()), BlsKeyPair::secret);
        if (created) {
            LOG.info("created a BLS key file={} publicKey={}", file, key.publicKey().toBase64());
        }
        return key;
    }

    /**
     * The node's control-plane account (Ed25519; 64 hex digits of the secret in {@code file}, created if missing): it
     * submits the node's shards-synced reports, which the node's BLS signature authenticates.
     */
    static io.tusk.core.crypto.Ed25519KeyPair loadOrCreateAccount(Path file) throws IOException {
        return io.tusk.control.client.SecretFiles.loadOrCreate(file, "account key",
                io.tusk.core.crypto.Ed25519KeyPair::fromSecret,
                () -> io.tusk.core.crypto.Ed25519KeyPair.generate(io.tusk.control.client.SecretFiles.random()),
                io.tusk.core.crypto.Ed25519KeyPair::secret);
    }

    public io.tusk.node.shards.GarbageCollector garbageCollector() {
        return gc;
    }

    /** The shard manager (null for a node started without a control-plane client). */
    public io.tusk.node.shards.ShardManager shards() {
        return shards;
    }

    public NodeConfig config() {
        return config;
    }

    public int port() {
        return http.port();
    }

    /** {@code http://host:port} of the REST API. */
    public String url() {
        return "http://" + config.bindHost() + ":" + port();
    }

    public BlsPublicKey publicKey() {
        return key.publicKey();
    }

    public StorageService service() {
        return service;
    }

    public NodeStore store() {
        return store;
    }

    public EventFollower follower() {
        return follower;
    }

    public RecoveryManager recovery() {
        return recovery;
    }

    /** The node's meters, served at {@code /metrics}. */
    public ServerMetrics metrics() {
        return serverMetrics;
    }

    /** Database checkpoints: taken on request through the admin socket, or periodically. */
    public Checkpoints checkpoints() {
        return checkpoints;
    }

    /** The admin socket's path, or null when it is off ({@code adminSocket: none}). */
    public Path adminSocketPath() {
        return adminSocket == null ? null : adminSocket.path();
    }

    /** A start that failed part way: closes what was started, keeping the start's failure first. */
    private void closeAll(Exception startFailure) {
        try {
            close();
        } catch (RuntimeException e) {
            startFailure.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        // In dependency order: nothing may use the store after it closes. Every part is closed even if one fails.
        RuntimeException failure = null;
        AutoCloseable[] parts = {adminSocket, checkpoints, shards, follower, recovery, http, serverMetrics,
                controlResource, store};
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                RuntimeException error = e instanceof RuntimeException r ? r
                        : new IllegalStateException("closing " + part.getClass().getSimpleName() + " failed", e);
                if (failure == null) {
                    failure = error;
                } else {
                    failure.addSuppressed(error);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
