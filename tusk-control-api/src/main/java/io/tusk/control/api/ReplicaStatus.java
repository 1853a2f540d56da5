package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/**
 * {@code GET /v1/replicas}: one replica's view of the control plane's Raft group.
 *
 * @param chainId      the network's chain ID ({@code GET /v1/chain}); every replica of a group shows the same
 * @param id           this replica's ID
 * @param url          this replica's HTTP API
 * @param role         {@code leader}, {@code follower}, {@code candidate}, {@code listener} or {@code starting}
 * @param serving      whether it serves (see {@link Health#status()})
 * @param reason       why not, or null
 * @param term         its current Raft term
 * @param leaderId     the leader it knows of, or null
 * @param leaderUrl    that leader's HTTP API, or null
 * @param appliedIndex the Raft index it applied
 * @param commitIndex  the Raft index it knows to be committed
 * @param replicas     the members of the group in its current configuration
 */
public record ReplicaStatus(String chainId, String id, String url, String role, boolean serving, String reason, long term,
                            String leaderId, String leaderUrl, long appliedIndex, long commitIndex,
                            List<ReplicaPeer> replicas) {
    public static final String LEADER = "leader";
    public static final String FOLLOWER = "follower";

    public ReplicaStatus {
        replicas = List.copyOf(Objects.requireNonNull(replicas, "replicas"));
    }
}
