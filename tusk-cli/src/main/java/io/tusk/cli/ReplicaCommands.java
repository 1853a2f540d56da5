package io.tusk.cli;

import io.tusk.client.AccountKeys;
import io.tusk.control.api.ReplicaChange;
import io.tusk.control.api.ReplicaPeer;
import io.tusk.control.api.ReplicaStatus;
import io.tusk.control.client.ControlClient;
import io.tusk.core.crypto.Ed25519KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Operator commands for the control plane's Raft group: {@code tusk control add-replica}, {@code remove-replica} and
 * {@code replicas}. Changes are signed by the network's admin key and sent to the leader (the client finds it among
 * the URLs of {@code client.yaml}); they return once the group's new configuration is committed.
 */
final class ReplicaCommands {
    private ReplicaCommands() {
    }

    private static ReplicaStatus change(ClientOptions options, Path adminKey, String action, ReplicaPeer replica)
            throws IOException {
        Ed25519KeyPair admin = AccountKeys.load(adminKey);
        ClientSettings settings = ClientSettings.load(options.config);
        try (ControlClient control = new ControlClient(settings.controlUrl(), ControlClient.DEFAULT_TIMEOUT,
                Duration.ofSeconds(120))) {
            String network = control.replicaStatus().chainId();
            ReplicaChange change = new ReplicaChange(ReplicaChange.KIND, network, action, replica,
                    System.currentTimeMillis() + Duration.ofMinutes(5).toMillis());
            return control.changeReplicas(ControlClient.signReplicaChange(change, admin));
        }
    }

    private static void print(PrintWriter out, boolean json, ReplicaStatus status) {
        if (json) {
            out.println(ClientOptions.toJson(status));
            return;
        }
        out.printf("group of %d replicas (leader %s, term %d):%n", status.replicas().size(), status.leaderId(),
                status.term());
        for (ReplicaPeer peer : status.replicas()) {
            out.printf("  %-12s raft %-22s %s%n", peer.id(), peer.raftAddress(), peer.url());
        }
    }

    @Command(name = "add-replica", mixinStandardHelpOptions = true,
            description = "Add a control-plane replica to the group (start it first with join: true).")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Option(names = "--id", required = true, description = "The new replica's ID (replicaId in its config).")
        String id;
        @Option(names = "--raft-address", required = true, paramLabel = "HOST:PORT",
                description = "Where the other replicas reach its Raft port.")
        String raftAddress;
        @Option(names = "--url", required = true, description = "Its HTTP API, http://host:port.")
        URI url;
        @Option(names = "--admin-key", required = true, paramLabel = "FILE", description = "The network's admin key.")
        Path adminKey;

        @Override
        public Integer call() throws Exception {
            ReplicaStatus status = change(options, adminKey, ReplicaChange.ADD, new ReplicaPeer(id, raftAddress, url));
            print(spec.commandLine().getOut(), options.json, status);
            return 0;
        }
    }

    @Command(name = "remove-replica", mixinStandardHelpOptions = true,
            description = "Remove a control-plane replica from the group (then stop it).")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Option(names = "--id", required = true, description = "The replica's ID.")
        String id;
        @Option(names = "--admin-key", required = true, paramLabel = "FILE", description = "The network's admin key.")
        Path adminKey;

        @Override
        public Integer call() throws Exception {
            // Only the ID counts for a removal; the addresses are placeholders the leader does not check.
            ReplicaPeer replica = new ReplicaPeer(id, "removed:1", URI.create("http://removed:1"));
            ReplicaStatus status = change(options, adminKey, ReplicaChange.REMOVE, replica);
            print(spec.commandLine().getOut(), options.json, status);
            return 0;
        }
    }

    @Command(name = "replicas", mixinStandardHelpOptions = true,
            description = "Show the control plane's replicas: the group's members and each one's role.")
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;

        @Override
        public Integer call() throws Exception {
            ClientSettings settings = ClientSettings.load(options.config);
            java.util.List<ReplicaRoles.Role> roles = ReplicaRoles.of(settings.controlUrl());
            Map<URI, ReplicaStatus> statuses = ReplicaRoles.ask(roles.stream().map(r -> URI.create(r.url())).toList());
            PrintWriter out = spec.commandLine().getOut();
            if (options.json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("controlReplicas", roles);
                result.put("statuses", statuses.values().stream().filter(java.util.Objects::nonNull).toList());
                out.println(ClientOptions.toJson(result));
                return 0;
            }
            for (ReplicaRoles.Role role : roles) {
                ReplicaStatus s = statuses.get(URI.create(role.url()));
                out.printf("  %-28s %-11s %s%n", role.url(), role.role(), s == null ? ""
                        : s.id() + ", term " + s.term() + ", applied " + s.appliedIndex() + (s.serving() ? ""
                        : ", not serving: " + s.reason()));
            }
            return 0;
        }
    }
}
