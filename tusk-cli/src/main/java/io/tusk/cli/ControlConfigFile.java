package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tusk.client.AccountKeys;
import io.tusk.control.api.ReplicaPeer;
import io.tusk.control.server.RaftSettings;
import io.tusk.control.server.ReplicaConfig;
import io.tusk.control.state.GenesisConfig;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.http.TuskJson;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The configuration of {@code tusk control}: one control-plane replica. Relative paths resolve against the file's
 * directory; unknown keys are refused.
 *
 * <pre>
 * dataDir: control-1                # genesis, Raft log and snapshots (required)
 * bindHost: 127.0.0.1               # what the HTTP API and the Raft listener bind (default 127.0.0.1)
 * port: 9180                        # HTTP API (default 9180)
 * raftPort: 9181                    # Raft (default: port + 1)
 * replicaId: control-1              # default control-1
 * replicas:                         # the group this replica is created with, itself included; default: itself
 *   - {id: control-1, raftAddress: 10.0.0.1:9181, url: http://10.0.0.1:9180}
 *   - {id: control-2, raftAddress: 10.0.0.2:9181, url: http://10.0.0.2:9180}
 *   - {id: control-3, raftAddress: 10.0.0.3:9181, url: http://10.0.0.3:9180}
 * join: false                       # true: start outside the group and wait for "tusk control add-replica"
 * genesisFile: genesis.json         # needed on the first start; afterwards the stored one is used
 * adminKeyFile: admin.key           # optional: the operator's key; the leader then advances epochs on their duration
 * electionTimeoutMillis: 1000       # optional: a follower waits 1x-2x this for its leader before an election
 * minFreeBytes: 67108864            # optional: refuse commands below this much free space on dataDir's disk
 * </pre>
 *
 * <p>Once the replica has its Raft storage, {@code replicas} is not read any more: the group's members are in its log
 * and change only by {@code tusk control add-replica} and {@code remove-replica}.
 */
record ControlConfigFile(ReplicaConfig replica, GenesisConfig genesis, Ed25519KeyPair admin) {
    private static final Set<String> KEYS = Set.of("dataDir", "bindHost", "port", "raftPort", "replicaId", "replicas",
            "join", "genesisFile", "adminKeyFile", "electionTimeoutMillis", "minFreeBytes");
    private static final Set<String> REPLICA_KEYS = Set.of("id", "raftAddress", "url");

    static ControlConfigFile load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no control plane configuration at " + file);
        }
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " must be a YAML mapping");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new IllegalArgumentException(file + ": unknown key '" + name + "' (known: " + KEYS + ")");
            }
        }
        Path base = file.toAbsolutePath().getParent();
        String dataDir = text(root, "dataDir", "");
        if (dataDir.isBlank()) {
            throw new IllegalArgumentException(file + ": dataDir is required");
        }
        String host = text(root, "bindHost", "127.0.0.1");
        int port = port(file, root, "port", 9180);
        int raftPort = port(file, root, "raftPort", port + 1);
        String id = text(root, "replicaId", "control-1");
        List<ReplicaPeer> peers = new ArrayList<>();
        JsonNode replicas = root.path("replicas");
        try {
            if (replicas.isMissingNode() || replicas.isNull()) {
                String advertised = "0.0.0.0".equals(host) ? "127.0.0.1" : host;
                peers.add(new ReplicaPeer(id, advertised + ":" + raftPort, URI.create("http://" + advertised + ":" + port)));
            } else if (!replicas.isArray() || replicas.isEmpty()) {
                throw new IllegalArgumentException("replicas must be a list of {id, raftAddress, url}");
            } else {
                for (JsonNode r : replicas) {
                    for (Iterator<String> names = r.fieldNames(); names.hasNext(); ) {
                        String name = names.next();
                        if (!REPLICA_KEYS.contains(name)) {
                            throw new IllegalArgumentException("replicas: unknown key '" + name + "' (known: "
                                    + REPLICA_KEYS + ")");
                        }
                    }
                    peers.add(new ReplicaPeer(r.path("id").asText(""), r.path("raftAddress").asText(""),
                            URI.create(r.path("url").asText(""))));
                }
            }
            JsonNode join = root.path("join");
            if (!join.isMissingNode() && !join.isBoolean()) {
                throw new IllegalArgumentException("join must be true or false");
            }
            RaftSettings settings = RaftSettings.DEFAULT;
            if (root.has("electionTimeoutMillis")) {
                long min = number(root, "electionTimeoutMillis");
                settings = settings.withElectionTimeout(Duration.ofMillis(min), Duration.ofMillis(2 * min));
            }
            if (root.has("minFreeBytes")) {
                settings = settings.withMinFreeBytes(number(root, "minFreeBytes"));
            }
            ReplicaConfig replica = new ReplicaConfig(id, base.resolve(dataDir), host, port, raftPort, peers,
                    join.asBoolean(false), settings);
            GenesisConfig genesis = null;
            String genesisFile = text(root, "genesisFile", "");
            if (!genesisFile.isBlank()) {
                genesis = TuskJson.mapper().readValue(base.resolve(genesisFile).toFile(), GenesisConfig.class);
            }
            Ed25519KeyPair admin = null;
            String adminKey = text(root, "adminKeyFile", "");
            if (!adminKey.isBlank()) {
                admin = AccountKeys.load(base.resolve(adminKey)); // never create an operator key by accident
            }
            return new ControlConfigFile(replica, genesis, admin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode root, String key, String fallback) {
        JsonNode node = root.path(key);
        return node.isMissingNode() || node.isNull() ? fallback : node.asText();
    }

    private static int port(Path file, JsonNode root, String key, int fallback) {
        JsonNode node = root.path(key);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (!node.canConvertToInt() || node.asInt() < 1 || node.asInt() > 65535) {
            throw new IllegalArgumentException(file + ": " + key + " must be a port in [1, 65535] (its peers need to"
                    + " know it, so 0 is not allowed), got " + node);
        }
        return node.asInt();
    }

    private static long number(JsonNode root, String key) {
        JsonNode node = root.path(key);
        if (!node.canConvertToLong() || node.asLong() < 0) {
            throw new IllegalArgumentException(key + " must be a non-negative integer, got " + node);
        }
        return node.asLong();
    }
}
