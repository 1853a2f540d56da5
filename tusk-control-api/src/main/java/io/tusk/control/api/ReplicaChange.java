package io.tusk.control.api;

import java.util.Objects;

/**
 * An operator's request to add or remove a control-plane replica ({@code POST /v1/replicas}), sent as the payload of a
 * {@link SignedCommand} signed by the genesis admin account. Not a state-machine command: it changes the Raft group's
 * membership. {@code kind} keeps it apart from command envelopes (strict parsing refuses one as the other), {@code
 * chainId} binds it to one network, {@code notAfterMillis} bounds how long a captured request can be replayed.
 *
 * @param kind           always {@value #KIND}
 * @param chainId        the network's chain ID
 * @param action         {@value #ADD} or {@value #REMOVE}
 * @param replica        the replica to add (all fields) or remove (its ID counts; the addresses are not checked)
 * @param notAfterMillis Unix milliseconds after which the request is refused; at most 10 minutes ahead
 */
public record ReplicaChange(String kind, String chainId, String action, ReplicaPeer replica, long notAfterMillis) {
    public static final String KIND = "tusk/replica-change";
    public static final String ADD = "add";
    public static final String REMOVE = "remove";

    public ReplicaChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(replica, "replica");
    }
}
