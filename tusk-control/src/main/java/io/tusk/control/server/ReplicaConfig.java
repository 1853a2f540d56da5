package io.tusk.control.server;

import io.tusk.control.api.ReplicaPeer;
import io.tusk.control.state.StateOptions;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where one control-plane replica lives and whom it starts with.
 *
 * @param id       this replica's ID; {@code peers} holds its own entry (its advertised Raft address and URL)
 * @param dataDir  its directory: the genesis, the Raft log and the state's snapshots
 * @param bindHost the address its HTTP API and Raft listener bind ({@code 0.0.0.0} for all)
 * @param httpPort its HTTP API port
 * @param raftPort its Raft (gRPC) port
 * @param peers    the group it is created with, itself included: used only when its Raft storage is new (afterwards
 *                 the group's configuration is in the log, changed by {@code addReplica}/{@code removeReplica})
 * @param join     start outside the group and wait to be added by the leader ({@code tusk control add-replica}); the
 *                 other entries of {@code peers} are then only the replicas it may hear from
 * @param settings Raft tuning
 * @param state    the control state's tuning (caches, how many events it keeps)
 */
public record ReplicaConfig(String id, Path dataDir, String bindHost, int httpPort, int raftPort,
                            List<ReplicaPeer> peers, boolean join, RaftSettings settings, StateOptions state) {
    public ReplicaConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(state, "state");
        peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
        if (httpPort < 1 || httpPort > 65535 || raftPort < 1 || raftPort > 65535 || httpPort == raftPort) {
            throw new IllegalArgumentException("replica " + id + " needs two distinct ports in [1, 65535], got HTTP "
                    + httpPort + " and Raft " + raftPort + " (its peers need to know them, so 0 is not allowed)");
        }
        Set<String> ids = new HashSet<>();
        for (ReplicaPeer peer : peers) {
            if (!ids.add(peer.id())) {
                throw new IllegalArgumentException("replica " + peer.id() + " is listed twice");
            }
        }
        if (!ids.contains(id)) {
            throw new IllegalArgumentException("the replicas list must hold this replica (" + id + ") with its"
                    + " raftAddress and url; it holds " + ids);
        }
    }

    /** With the state's default tuning. */
    public ReplicaConfig(String id, Path dataDir, String bindHost, int httpPort, int raftPort, List<ReplicaPeer> peers,
                         boolean join, RaftSettings settings) {
        this(id, dataDir, bindHost, httpPort, raftPort, peers, join, settings, StateOptions.defaults());
    }

    /** A group of one: the embedded control plane of a devnet or of {@code tusk control} alone. */
    public static ReplicaConfig single(Path dataDir, String host, int httpPort, int raftPort) {
        String id = "control-1";
        return new ReplicaConfig(id, dataDir, host, httpPort, raftPort,
                List.of(new ReplicaPeer(id, host + ":" + raftPort, URI.create("http://" + host + ":" + httpPort))),
                false, RaftSettings.DEFAULT);
    }

    /** This replica's own entry of {@link #peers}. */
    public ReplicaPeer self() {
        return peers.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    public ReplicaConfig withSettings(RaftSettings newSettings) {
        return new ReplicaConfig(id, dataDir, bindHost, httpPort, raftPort, peers, join, newSettings, state);
    }

    public ReplicaConfig withState(StateOptions options) {
        return new ReplicaConfig(id, dataDir, bindHost, httpPort, raftPort, peers, join, settings, options);
    }
}
