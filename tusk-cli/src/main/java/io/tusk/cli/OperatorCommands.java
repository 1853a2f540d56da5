package io.tusk.cli;

import io.tusk.client.AccountKeys;
import io.tusk.client.TuskClient;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommandOutcome;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.EpochChangeInfo;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.client.ControlClient;
import io.tusk.control.client.SecretFiles;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.node.StorageNode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Operator commands for epochs and the committee: {@code committee}, {@code epoch}, {@code advance-epoch},
 * {@code join-committee}, {@code leave-committee}, {@code stake}. Commands that change something are signed by the
 * account of {@code client.yaml} (the node's owner), except {@code advance-epoch}, which needs the operator's key.
 */
final class OperatorCommands {
    private OperatorCommands() {}

    private static String nodeIdOf(ControlClient control, BlsKeyPair key) {
        for (CommitteeMember m : control.nextCommitteePreview().members()) {
            if (Arrays.equals(m.blsPublicKey(), key.publicKey().bytes())) {
                return m.nodeId();
            }
        }
        throw new IllegalArgumentException("the key " + key.publicKey().toBase64() + " is not a registered node");
    }

    private static void printOutcome(PrintWriter out, boolean json, String what, CommandOutcome outcome) {
        if (json) {
            out.println(ClientOptions.toJson(outcome));
        } else {
            out.println(what + " (command " + outcome.index() + ", events " + outcome.events().stream()
                    .map(e -> e.getClass().getSimpleName()).toList() + ")");
        }
    }

    private static void printCommittee(PrintWriter out, String title, CommitteeInfo committee) {
        out.printf("%s: epoch %d, %d nodes, %d shards%n", title, committee.epoch(), committee.members().size(),
                committee.shardCount());
        for (CommitteeMember m : committee.members()) {
            out.printf("  %-12s %-22s stake %-10d %3d shards %s  id %s%n", m.name(), m.networkAddress(), m.stake(),
                    m.shards().size(), m.shards(), m.nodeId());
        }
    }

    @picocli.CommandLine.Command(name = "committee", mixinStandardHelpOptions = true,
            description = "Show the current committee, the previous one and the one the next epoch change would choose.")
    static final class CommitteeCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = options.connect()) {
                ControlClient control = client.control();
                CommitteeInfo current = control.committee();
                var previous = control.previousCommittee();
                CommitteeInfo next = control.nextCommitteePreview();
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("current", current);
                    result.put("previous", previous.orElse(null));
                    result.put("next", next);
                    out.println(ClientOptions.toJson(result));
                    return 0;
                }
                printCommittee(out, "current", current);
                if (previous.isPresent()) {
                    printCommittee(out, "previous", previous.get());
                }
                printCommittee(out, "next (if the epoch changed now)", next);
                return 0;
            }
        }
    }

    @picocli.CommandLine.Command(name = "epoch", mixinStandardHelpOptions = true,
            description = "Show the epoch and the state of the change into it.")
    static final class EpochCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = options.connect()) {
                EpochInfo epoch = client.control().epoch();
                EpochChangeInfo change = client.control().epochChange();
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("epoch", epoch);
                    result.put("change", change);
                    out.println(ClientOptions.toJson(result));
                    return 0;
                }
                out.printf("epoch %d, started %s, duration %d s, next change due %s%n", epoch.epoch(),
                        java.time.Instant.ofEpochMilli(epoch.startTimeMillis()), epoch.epochDurationMillis() / 1000,
                        java.time.Instant.ofEpochMilli(epoch.startTimeMillis() + epoch.epochDurationMillis()));
                out.printf("change into epoch %d: %s; synced %d of %d shards (quorum %d), nodes %s%n", change.epoch(),
                        change.state(), change.syncedShards(), change.shardCount(), change.quorumShards(),
                        change.syncedNodes());
                return 0;
            }
        }
    }

    @picocli.CommandLine.Command(name = "advance-epoch", mixinStandardHelpOptions = true,
            description = "Devnets: move to the next epoch now (needs the operator's key).")
    static final class AdvanceEpochCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Option(names = "--admin-key", required = true, paramLabel = "FILE",
                description = "The operator's account key (a devnet's admin.key).")
        Path adminKey;

        @Override
        public Integer call() throws Exception {
            Ed25519KeyPair admin = AccountKeys.loadOrCreate(adminKey);
            try (TuskClient client = options.connect()) {
                long start = Math.max(System.currentTimeMillis(), client.control().epoch().startTimeMillis());
                printOutcome(spec.commandLine().getOut(), options.json, "advanced the epoch",
                        client.control().submit(new Command.AdvanceEpoch(start), admin));
            }
            return 0;
        }
    }

    @picocli.CommandLine.Command(name = "join-committee", mixinStandardHelpOptions = true,
            description = "Register a storage node (owned by this account); it joins at the next epoch change.")
    static final class JoinCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Option(names = "--bls-key", required = true, paramLabel = "FILE", description = "The node's BLS key file.")
        Path blsKey;
        @Option(names = "--name", required = true, description = "The node's name.")
        String name;
        @Option(names = "--address", required = true, paramLabel = "HOST:PORT", description = "The node's REST address.")
        String address;
        @Option(names = "--stake", required = true, description = "Stake, taken from this account's balance.")
        long stake;

        @Override
        public Integer call() throws Exception {
            BlsKeyPair key = StorageNode.loadOrCreateKey(blsKey);
            try (TuskClient client = options.connect()) {
                Ed25519KeyPair owner = client.config().account();
                int epoch = client.control().epoch().epoch();
                byte[] proof = new ProofOfPossessionMessage(epoch, owner.publicKey().address(), key.publicKey())
                        .sign(key).signature().bytes();
                printOutcome(spec.commandLine().getOut(), options.json, "registered node " + name,
                        client.control().submit(new Command.RegisterNode(name, address, key.publicKey().bytes(), proof,
                                stake), owner));
            }
            return 0;
        }
    }

    @picocli.CommandLine.Command(name = "leave-committee", mixinStandardHelpOptions = true,
            description = "Take a node of this account out of the committee from the next epoch change.")
    static final class LeaveCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Option(names = "--bls-key", required = true, paramLabel = "FILE", description = "The node's BLS key file.")
        Path blsKey;

        @Override
        public Integer call() throws Exception {
            BlsKeyPair key = SecretFiles.load(blsKey, "BLS key", BlsKeyPair::fromSecret); // a typo must not make a key
            try (TuskClient client = options.connect()) {
                String nodeId = nodeIdOf(client.control(), key);
                printOutcome(spec.commandLine().getOut(), options.json, "node " + nodeId + " leaves at the next epoch change",
                        client.control().submit(new Command.LeaveCommittee(nodeId), client.config().account()));
            }
            return 0;
        }
    }

    @picocli.CommandLine.Command(name = "stake", mixinStandardHelpOptions = true,
            description = "Set the stake of a node of this account; shards follow at the next epoch change.")
    static final class StakeCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Option(names = "--bls-key", required = true, paramLabel = "FILE", description = "The node's BLS key file.")
        Path blsKey;
        @Option(names = "--amount", required = true, description = "The new stake.")
        long amount;

        @Override
        public Integer call() throws Exception {
            BlsKeyPair key = SecretFiles.load(blsKey, "BLS key", BlsKeyPair::fromSecret); // a typo must not make a key
            try (TuskClient client = options.connect()) {
                String nodeId = nodeIdOf(client.control(), key);
                printOutcome(spec.commandLine().getOut(), options.json, "stake of " + nodeId + " set to " + amount,
                        client.control().submit(new Command.SetStake(nodeId, amount), client.config().account()));
            }
            return 0;
        }
    }
}
