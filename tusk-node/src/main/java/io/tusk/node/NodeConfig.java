package io.tusk.node;

import io.tusk.http.ConfigFile;
import io.tusk.node.admin.CheckpointConfig;
import io.tusk.node.recovery.RecoveryConfig;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A storage node's configuration. Loaded from a YAML file (flat {@code key: value} pairs) or a Java properties file
 * with the same keys; relative paths are resolved against the file's directory. Every key but {@code dataDir},
 * {@code blsKeyFile} and {@code controlUrl} has a default. Unknown keys are refused, so typos do not pass silently; the
 * file is bound to {@link FileForm} by Jackson ({@link ConfigFile}).
 *
 * <pre>
 * dataDir: /var/lib/tusk/node1          # RocksDB and nothing else
 * bindHost: 0.0.0.0                     # default 127.0.0.1
 * port: 9185                            # default 9185 (0 = any free port)
 * blsKeyFile: node1.bls                 # 64 hex digits of the BLS secret; created if missing
 * controlUrl: http://127.0.0.1:9180     # control-plane API
 * syncDataWrites: false                 # fsync the WAL on every sliver/metadata write
 * pendingMaxEntries: 10000              # ?pending=true buffer: items
 * pendingMaxBytes: 268435456            #   and bytes
 * pendingTtlMillis: 300000              #   and how long they wait for the registration
 * eventPageSize: 100
 * eventWaitMillis: 5000                 # long poll on the event stream, at most 30000
 * maxConfirmationWaitMillis: 5000       # cap of wait_millis on confirmations
 * maxLongPolls: 1024                    # concurrent waiting confirmations
 * recoveryConcurrency: 8                # blobs rebuilt at once from other nodes' recovery symbols
 * recoveryMaxInflightBytes: 268435456   # estimated sliver bytes being rebuilt at once
 * recoveryDelayMillis: 2000             # wait after a certification before rebuilding what is missing
 * recoveryMaxBackoffMillis: 30000       # longest wait before retrying a blob that could not be rebuilt yet
 * recoveryRequestTimeoutMillis: 60000   # one request to another node
 * recoveryVerifyOnStartup: true         # re-check every stored sliver against its hash at start
 * adminSocket: /run/tusk/node1.sock     # local admin socket (tusk node-admin); default DATADIR-admin.sock, none = off
 * checkpointDir: /backup/tusk/node1     # database checkpoints; default DATADIR-checkpoints (same file system: links)
 * checkpointIntervalMillis: 86400000    # a checkpoint every day; default 0 = only when asked (node-admin checkpoint)
 * checkpointRetention: 3                # checkpoints kept in checkpointDir, the oldest deleted first
 * </pre>
 */
public record NodeConfig(Path dataDir, String bindHost, int port, Path blsKeyFile, URI controlUrl,
                         boolean syncDataWrites, int pendingMaxEntries, long pendingMaxBytes, long pendingTtlMillis,
                         int eventPageSize, long eventWaitMillis, long maxConfirmationWaitMillis, int maxLongPolls,
                         RecoveryConfig recovery, Path adminSocket, CheckpointConfig checkpoints) {

    /**
     * The event long poll. Short enough that a poll lost with a restarting control plane (its client times out 2 s
     * after the wait) delays a node by seconds, not tens of seconds; an idle node makes one request per wait.
     */
    static final long EVENT_WAIT_MILLIS_DEFAULT = 5_000;
    /** The {@code adminSocket} value that turns the admin socket off. */
    public static final String NONE = "none";

    public static final String BIND_HOST_DEFAULT = "127.0.0.1";
    public static final int PORT_DEFAULT = 9185;

    public NodeConfig {
        require(dataDir != null, "dataDir", null, "is required");
        require(blsKeyFile != null, "blsKeyFile", null, "is required");
        require(controlUrl != null, "controlUrl", null, "is required");
        require(recovery != null, "recovery", null, "is required");
        require(bindHost != null && !bindHost.isBlank(), "bindHost", bindHost, "must be a host name or address");
        require(port >= 0 && port <= 65535, "port", port, "must be in [0, 65535]");
        require(pendingMaxEntries >= 0, "pendingMaxEntries", pendingMaxEntries, "must not be negative");
        require(pendingMaxBytes >= 0, "pendingMaxBytes", pendingMaxBytes, "must not be negative");
        require(pendingTtlMillis > 0, "pendingTtlMillis", pendingTtlMillis, "must be positive");
        require(eventPageSize > 0, "eventPageSize", eventPageSize, "must be positive");
        require(eventWaitMillis >= 0 && eventWaitMillis <= 30_000, "eventWaitMillis", eventWaitMillis,
                "must be in [0, 30000] (the control plane's longest long poll)");
        require(maxConfirmationWaitMillis >= 0, "maxConfirmationWaitMillis", maxConfirmationWaitMillis,
                "must not be negative");
        require(maxLongPolls >= 0, "maxLongPolls", maxLongPolls, "must not be negative");
        require(checkpoints != null, "checkpoints", null, "is required");
    }

    /** The configuration before admin sockets and checkpoints: those get their defaults. */
    public NodeConfig(Path dataDir, String bindHost, int port, Path blsKeyFile, URI controlUrl, boolean syncDataWrites,
                      int pendingMaxEntries, long pendingMaxBytes, long pendingTtlMillis, int eventPageSize,
                      long eventWaitMillis, long maxConfirmationWaitMillis, int maxLongPolls, RecoveryConfig recovery) {
        this(dataDir, bindHost, port, blsKeyFile, controlUrl, syncDataWrites, pendingMaxEntries, pendingMaxBytes,
                pendingTtlMillis, eventPageSize, eventWaitMillis, maxConfirmationWaitMillis, maxLongPolls, recovery,
                dataDir == null ? null : defaultAdminSocket(dataDir),
                dataDir == null ? null : CheckpointConfig.defaultsFor(dataDir));
    }

    /** {@code <dataDir>-admin.sock} beside the data directory. */
    public static Path defaultAdminSocket(Path dataDir) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + "-admin.sock");
    }

    /** The same configuration with these checkpoint settings. */
    public NodeConfig withCheckpoints(CheckpointConfig newCheckpoints) {
        return new NodeConfig(dataDir, bindHost, port, blsKeyFile, controlUrl, syncDataWrites, pendingMaxEntries,
                pendingMaxBytes, pendingTtlMillis, eventPageSize, eventWaitMillis, maxConfirmationWaitMillis,
                maxLongPolls, recovery, adminSocket, newCheckpoints);
    }

    /** A configuration with every default, for tests and the devnet. */
    public static NodeConfig of(Path dataDir, Path blsKeyFile, URI controlUrl) {
        return new NodeConfig(dataDir, BIND_HOST_DEFAULT, PORT_DEFAULT, blsKeyFile, controlUrl, false, 10_000,
                256L << 20, 300_000, 100, EVENT_WAIT_MILLIS_DEFAULT, 5_000, 1024, RecoveryConfig.DEFAULT);
    }

    public NodeConfig withPort(int newPort) {
        return new NodeConfig(dataDir, bindHost, newPort, blsKeyFile, controlUrl, syncDataWrites, pendingMaxEntries,
                pendingMaxBytes, pendingTtlMillis, eventPageSize, eventWaitMillis, maxConfirmationWaitMillis,
                maxLongPolls, recovery, adminSocket, checkpoints);
    }

    private static void require(boolean ok, String key, Object value, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("node config: " + key + (value != null ? " = " + value : "") + " "
                    + problem);
        }
    }

    /**
     * Loads a {@code .yaml}/{@code .yml} or {@code .properties} file.
     *
     * @throws IllegalArgumentException naming the key and value at fault
     * @throws IOException if the file cannot be read
     */
    public static NodeConfig load(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Path base = file.toAbsolutePath().getParent();
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return ConfigFile.read(file, FileForm.class).toConfig(base);
        }
        if (name.endsWith(".properties")) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (String key : properties.stringPropertyNames()) {
                values.put(key, properties.getProperty(key).trim());
            }
            return ConfigFile.fromStrings(values, FileForm.class, file.toString()).toConfig(base);
        }
        throw new IllegalArgumentException("node config " + file + ": use a .yaml, .yml or .properties file");
    }

    /**
     * A node configuration file as written: every key optional here (absent = null), defaults and checks applied by
     * {@link #toConfig}. The component names are the file's keys.
     */
    record FileForm(String dataDir, String bindHost, Integer port, String blsKeyFile, String controlUrl,
                    Boolean syncDataWrites, Integer pendingMaxEntries, Long pendingMaxBytes, Long pendingTtlMillis,
                    Integer eventPageSize, Long eventWaitMillis, Long maxConfirmationWaitMillis, Integer maxLongPolls,
                    Integer recoveryConcurrency, Long recoveryMaxInflightBytes, Long recoveryDelayMillis,
                    Long recoveryMaxBackoffMillis, Long recoveryRequestTimeoutMillis, Boolean recoveryVerifyOnStartup,
                    String adminSocket, String checkpointDir, Long checkpointIntervalMillis,
                    Integer checkpointRetention) {

        /** The configuration with defaults for absent keys; relative paths resolve against {@code base}. */
        NodeConfig toConfig(Path base) {
            Path data = path(dataDir, base);
            require(data != null, "dataDir", null, "is required");
            URI control;
            try {
                control = controlUrl == null ? null : URI.create(controlUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("node config: controlUrl = " + controlUrl + " is not a URL", e);
            }
            return new NodeConfig(data, or(bindHost, BIND_HOST_DEFAULT), or(port, PORT_DEFAULT), path(blsKeyFile, base),
                    control, or(syncDataWrites, false), or(pendingMaxEntries, 10_000), or(pendingMaxBytes, 256L << 20),
                    or(pendingTtlMillis, 300_000L), or(eventPageSize, 100), or(eventWaitMillis, EVENT_WAIT_MILLIS_DEFAULT),
                    or(maxConfirmationWaitMillis, 5_000L), or(maxLongPolls, 1024), recovery(),
                    adminSocket(data, base), checkpoints(data, base));
        }

        private Path adminSocket(Path data, Path base) {
            if (adminSocket == null) {
                return defaultAdminSocket(data);
            }
            require(!adminSocket.isBlank(), "adminSocket", adminSocket, "must be a path, or none");
            return adminSocket.equals(NONE) ? null : path(adminSocket, base);
        }

        private CheckpointConfig checkpoints(Path data, Path base) {
            Path directory = checkpointDir != null ? path(checkpointDir, base) : CheckpointConfig.defaultDirectory(data);
            long interval = or(checkpointIntervalMillis, 0L);
            int retention = or(checkpointRetention, CheckpointConfig.DEFAULT_RETENTION);
            require(interval == 0 || interval >= 1000, "checkpointIntervalMillis", interval,
                    "must be 0 (no periodic checkpoints) or at least 1000");
            require(retention >= 1 && retention <= 1000, "checkpointRetention", retention, "must be in [1, 1000]");
            return new CheckpointConfig(directory, Duration.ofMillis(interval), retention);
        }

        private RecoveryConfig recovery() {
            RecoveryConfig d = RecoveryConfig.DEFAULT;
            int concurrency = or(recoveryConcurrency, d.concurrency());
            long inflight = or(recoveryMaxInflightBytes, d.maxInflightBytes());
            long delay = or(recoveryDelayMillis, d.delay().toMillis());
            long backoff = or(recoveryMaxBackoffMillis, d.maxBackoff().toMillis());
            long timeout = or(recoveryRequestTimeoutMillis, d.requestTimeout().toMillis());
            require(concurrency >= 1 && concurrency <= 1024, "recoveryConcurrency", concurrency, "must be in [1, 1024]");
            require(inflight >= 1, "recoveryMaxInflightBytes", inflight, "must be positive");
            require(delay >= 0, "recoveryDelayMillis", delay, "must not be negative");
            require(backoff >= 1, "recoveryMaxBackoffMillis", backoff, "must be positive");
            require(timeout >= 1, "recoveryRequestTimeoutMillis", timeout, "must be positive");
            return new RecoveryConfig(concurrency, inflight, Duration.ofMillis(delay), Duration.ofMillis(backoff),
                    Duration.ofMillis(timeout), or(recoveryVerifyOnStartup, d.verifyOnStartup()));
        }

        private static Path path(String value, Path base) {
            if (value == null) {
                return null;
            }
            Path p = Path.of(value);
            return base != null && !p.isAbsolute() ? base.resolve(p).normalize() : p;
        }

        private static <V> V or(V value, V absent) {
            return value != null ? value : absent;
        }
    }
}
