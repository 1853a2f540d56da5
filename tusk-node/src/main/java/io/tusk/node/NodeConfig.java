package io.tusk.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tusk.node.admin.CheckpointConfig;
import io.tusk.node.recovery.RecoveryConfig;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A storage node's configuration. Loaded from a YAML file (flat {@code key: value} pairs) or a Java properties file
 * with the same keys; relative paths are resolved against the file's directory. Every key but {@code dataDir},
 * {@code blsKeyFile} and {@code controlUrl} has a default. Unknown keys are refused, so typos do not pass silently.
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

    public static final String DATA_DIR = "dataDir";
    public static final String BIND_HOST = "bindHost";
    public static final String PORT = "port";
    public static final String BLS_KEY_FILE = "blsKeyFile";
    public static final String CONTROL_URL = "controlUrl";
    public static final String SYNC_DATA_WRITES = "syncDataWrites";
    public static final String PENDING_MAX_ENTRIES = "pendingMaxEntries";
    public static final String PENDING_MAX_BYTES = "pendingMaxBytes";
    public static final String PENDING_TTL_MILLIS = "pendingTtlMillis";
    public static final String EVENT_PAGE_SIZE = "eventPageSize";
    public static final String EVENT_WAIT_MILLIS = "eventWaitMillis";
    /**
     * The event long poll. Short enough that a poll lost with a restarting control plane (its client times out 2 s
     * after the wait) delays a node by seconds, not tens of seconds; an idle node makes one request per wait.
     */
    static final long EVENT_WAIT_MILLIS_DEFAULT = 5_000;
    public static final String MAX_CONFIRMATION_WAIT_MILLIS = "maxConfirmationWaitMillis";
    public static final String MAX_LONG_POLLS = "maxLongPolls";
    public static final String RECOVERY_CONCURRENCY = "recoveryConcurrency";
    public static final String RECOVERY_MAX_INFLIGHT_BYTES = "recoveryMaxInflightBytes";
    public static final String RECOVERY_DELAY_MILLIS = "recoveryDelayMillis";
    public static final String RECOVERY_MAX_BACKOFF_MILLIS = "recoveryMaxBackoffMillis";
    public static final String RECOVERY_REQUEST_TIMEOUT_MILLIS = "recoveryRequestTimeoutMillis";
    public static final String RECOVERY_VERIFY_ON_STARTUP = "recoveryVerifyOnStartup";
    public static final String ADMIN_SOCKET = "adminSocket";
    public static final String CHECKPOINT_DIR = "checkpointDir";
    public static final String CHECKPOINT_INTERVAL_MILLIS = "checkpointIntervalMillis";
    public static final String CHECKPOINT_RETENTION = "checkpointRetention";
    /** The {@code adminSocket} value that turns the admin socket off. */
    public static final String NONE = "none";

    public static final String BIND_HOST_DEFAULT = "127.0.0.1";
    public static final int PORT_DEFAULT = 9185;

    private static final Set<String> KEYS = Set.of(DATA_DIR, BIND_HOST, PORT, BLS_KEY_FILE, CONTROL_URL,
            SYNC_DATA_WRITES, PENDING_MAX_ENTRIES, PENDING_MAX_BYTES, PENDING_TTL_MILLIS, EVENT_PAGE_SIZE,
            EVENT_WAIT_MILLIS, MAX_CONFIRMATION_WAIT_MILLIS, MAX_LONG_POLLS, RECOVERY_CONCURRENCY,
            RECOVERY_MAX_INFLIGHT_BYTES, RECOVERY_DELAY_MILLIS, RECOVERY_MAX_BACKOFF_MILLIS,
            RECOVERY_REQUEST_TIMEOUT_MILLIS, RECOVERY_VERIFY_ON_STARTUP, ADMIN_SOCKET, CHECKPOINT_DIR,
            CHECKPOINT_INTERVAL_MILLIS, CHECKPOINT_RETENTION);

    public NodeConfig {
        require(dataDir != null, DATA_DIR, null, "is required");
        require(blsKeyFile != null, BLS_KEY_FILE, null, "is required");
        require(controlUrl != null, CONTROL_URL, null, "is required");
        require(recovery != null, "recovery", null, "is required");
        require(bindHost != null && !bindHost.isBlank(), BIND_HOST, bindHost, "must be a host name or address");
        require(port >= 0 && port <= 65535, PORT, port, "must be in [0, 65535]");
        require(pendingMaxEntries >= 0, PENDING_MAX_ENTRIES, pendingMaxEntries, "must not be negative");
        require(pendingMaxBytes >= 0, PENDING_MAX_BYTES, pendingMaxBytes, "must not be negative");
        require(pendingTtlMillis > 0, PENDING_TTL_MILLIS, pendingTtlMillis, "must be positive");
        require(eventPageSize > 0, EVENT_PAGE_SIZE, eventPageSize, "must be positive");
        require(eventWaitMillis >= 0 && eventWaitMillis <= 30_000, EVENT_WAIT_MILLIS, eventWaitMillis,
                "must be in [0, 30000] (the control plane's longest long poll)");
        require(maxConfirmationWaitMillis >= 0, MAX_CONFIRMATION_WAIT_MILLIS, maxConfirmationWaitMillis,
                "must not be negative");
        require(maxLongPolls >= 0, MAX_LONG_POLLS, maxLongPolls, "must not be negative");
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
        Map<String, String> values = new LinkedHashMap<>();
        if (name.endsWith(".properties")) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            for (String key : properties.stringPropertyNames()) {
                values.put(key, properties.getProperty(key).trim());
            }
        } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (root == null || root.isMissingNode() || root.isNull()) {
                root = new ObjectMapper().createObjectNode();
            }
            if (!root.isObject()) {
                throw new IllegalArgumentException("node config " + file + ": expected a mapping of keys to values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode()) {
                    throw new IllegalArgumentException("node config: " + e.getKey() + " must be a plain value");
                }
                values.put(e.getKey(), e.getValue().asText());
            }
        } else {
            throw new IllegalArgumentException("node config " + file + ": use a .yaml, .yml or .properties file");
        }
        Path base = file.toAbsolutePath().getParent();
        return fromMap(values, base);
    }

    /** Builds from string values; relative paths resolve against {@code base}. */
    public static NodeConfig fromMap(Map<String, String> values, Path base) {
        for (String key : values.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("node config: unknown key " + key + " (known: " + KEYS + ")");
            }
        }
        String controlUrl = values.get(CONTROL_URL);
        URI control;
        try {
            control = controlUrl == null ? null : URI.create(controlUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node config: " + CONTROL_URL + " = " + controlUrl + " is not a URL", e);
        }
        Path dataDir = path(values, DATA_DIR, base);
        require(dataDir != null, DATA_DIR, null, "is required");
        return new NodeConfig(dataDir, values.getOrDefault(BIND_HOST, BIND_HOST_DEFAULT),
                (int) number(values, PORT, PORT_DEFAULT), path(values, BLS_KEY_FILE, base), control,
                bool(values, SYNC_DATA_WRITES, false), (int) number(values, PENDING_MAX_ENTRIES, 10_000),
                number(values, PENDING_MAX_BYTES, 256L << 20), number(values, PENDING_TTL_MILLIS, 300_000),
                (int) number(values, EVENT_PAGE_SIZE, 100), number(values, EVENT_WAIT_MILLIS, EVENT_WAIT_MILLIS_DEFAULT),
                number(values, MAX_CONFIRMATION_WAIT_MILLIS, 5_000), (int) number(values, MAX_LONG_POLLS, 1024),
                recovery(values), adminSocket(values, dataDir, base), checkpoints(values, dataDir, base));
    }

    private static Path adminSocket(Map<String, String> values, Path dataDir, Path base) {
        String value = values.get(ADMIN_SOCKET);
        if (value == null) {
            return defaultAdminSocket(dataDir);
        }
        require(!value.isBlank(), ADMIN_SOCKET, value, "must be a path, or none");
        return value.equals(NONE) ? null : path(values, ADMIN_SOCKET, base);
    }

    private static CheckpointConfig checkpoints(Map<String, String> values, Path dataDir, Path base) {
        Path directory = values.containsKey(CHECKPOINT_DIR) ? path(values, CHECKPOINT_DIR, base)
                : CheckpointConfig.defaultDirectory(dataDir);
        long interval = number(values, CHECKPOINT_INTERVAL_MILLIS, 0);
        long retention = number(values, CHECKPOINT_RETENTION, CheckpointConfig.DEFAULT_RETENTION);
        require(interval == 0 || interval >= 1000, CHECKPOINT_INTERVAL_MILLIS, interval,
                "must be 0 (no periodic checkpoints) or at least 1000");
        require(retention >= 1 && retention <= 1000, CHECKPOINT_RETENTION, retention, "must be in [1, 1000]");
        return new CheckpointConfig(directory, java.time.Duration.ofMillis(interval), (int) retention);
    }

    private static RecoveryConfig recovery(Map<String, String> values) {
        RecoveryConfig d = RecoveryConfig.DEFAULT;
        long concurrency = number(values, RECOVERY_CONCURRENCY, d.concurrency());
        long inflight = number(values, RECOVERY_MAX_INFLIGHT_BYTES, d.maxInflightBytes());
        long delay = number(values, RECOVERY_DELAY_MILLIS, d.delay().toMillis());
        long backoff = number(values, RECOVERY_MAX_BACKOFF_MILLIS, d.maxBackoff().toMillis());
        long timeout = number(values, RECOVERY_REQUEST_TIMEOUT_MILLIS, d.requestTimeout().toMillis());
        require(concurrency >= 1 && concurrency <= 1024, RECOVERY_CONCURRENCY, concurrency, "must be in [1, 1024]");
        require(inflight >= 1, RECOVERY_MAX_INFLIGHT_BYTES, inflight, "must be positive");
        require(delay >= 0, RECOVERY_DELAY_MILLIS, delay, "must not be negative");
        require(backoff >= 1, RECOVERY_MAX_BACKOFF_MILLIS, backoff, "must be positive");
        require(timeout >= 1, RECOVERY_REQUEST_TIMEOUT_MILLIS, timeout, "must be positive");
        return new RecoveryConfig((int) concurrency, inflight, java.time.Duration.ofMillis(delay),
                java.time.Duration.ofMillis(backoff), java.time.Duration.ofMillis(timeout),
                bool(values, RECOVERY_VERIFY_ON_STARTUP, d.verifyOnStartup()));
    }

    private static Path path(Map<String, String> values, String key, Path base) {
        String value = values.get(key);
        if (value == null) {
            return null;
        }
        Path p = Path.of(value);
        return base != null && !p.isAbsolute() ? base.resolve(p).normalize() : p;
    }

    private static long number(Map<String, String> values, String key, long absent) {
        String value = values.get(key);
        if (value == null) {
            return absent;
        }
        try {
            long n = Long.parseLong(value);
            if (n > Integer.MAX_VALUE && (key.equals(PORT) || key.equals(PENDING_MAX_ENTRIES)
                    || key.equals(EVENT_PAGE_SIZE) || key.equals(MAX_LONG_POLLS))) {
                throw new NumberFormatException("too large");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("node config: " + key + " = " + value + " is not a number", e);
        }
    }

    private static boolean bool(Map<String, String> values, String key, boolean absent) {
        String value = values.get(key);
        if (value == null) {
            return absent;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("node config: " + key + " = " + value
                    + " must be true or false");
        };
    }
}
