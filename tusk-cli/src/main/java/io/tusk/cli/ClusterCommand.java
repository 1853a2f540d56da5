package io.tusk.cli;

import io.tusk.client.AccountKeys;
import io.tusk.control.api.ReplicaPeer;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.GenesisConfig;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.http.TuskJson;
import io.tusk.node.StorageNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code tusk cluster init}: the configuration of a whole network whose parts run as separate processes. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Set up a network of separate processes.",
        subcommands = {ClusterCommand.Init.class})
final class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /**
     * Writes one configuration per part into DIR, with every key created and the genesis agreed:
     *
     * <pre>
     * DIR/genesis.json        the network's genesis (the committee of epoch 1, the funded accounts)
     * DIR/control-K.yaml      replica K of the control plane (tusk control --config)
     * DIR/node-K.yaml         storage node K (tusk node --config), its BLS key in DIR/node-K.bls
     * DIR/gateway.yaml        the publisher/aggregator (tusk gateway --config), paying from DIR/gateway.key
     * DIR/client.yaml         a client whose account (DIR/wallet.key) is funded at genesis (tusk store --config)
     * DIR/admin.key           the operator's account: advances epochs, changes the control plane's members
     * </pre>
     *
     * Without {@code --hosts} every part binds loopback on free ports. With {@code --hosts H1,H2,...} the parts are
     * spread over the hosts in turn (control replica K on host K, node K on host K, the gateway on the first), bind all
     * interfaces and are reached by those names, on the default ports (control 9180 and Raft 9181, nodes from 9185,
     * gateway 31415; parts sharing a host take the next free ones).
     */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Write the configuration of a network of separate processes into DIR.")
    static final class Init implements Callable<Integer> {
        static final long WALLET_FUNDS = 1_000_000_000_000_000L;
        static final long NODE_STAKE = 1_000_000;

        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where to write the configuration.")
        Path dir;

        @Option(names = "--control-replicas", defaultValue = "3",
                description = "Control-plane replicas: 1, 3 or 5 (default: ${DEFAULT-VALUE}).")
        int controlReplicas;

        @Option(names = "--nodes", defaultValue = "4", description = "Storage nodes (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--shards", defaultValue = "100", description = "Shards (default: ${DEFAULT-VALUE}).")
        int shards;

        @Option(names = "--hosts", split = ",", paramLabel = "H1,H2,...",
                description = "Hosts to spread the parts over (names or addresses); default: loopback, free ports.")
        List<String> hosts;

        @Option(names = "--free-ports", description = "With --hosts naming addresses of this machine (127.0.0.2, ...):"
                + " free ports on each instead of the defaults, so several networks fit on one machine.")
        boolean freePorts;

        /** Ports given out so far, per host. */
        private final Map<String, Set<Integer>> taken = new HashMap<>();

        @Override
        public Integer call() throws Exception {
            if (controlReplicas != 1 && controlReplicas != 3 && controlReplicas != 5) {
                throw new IllegalArgumentException("--control-replicas must be 1, 3 or 5 (a Raft group needs a majority"
                        + " alive: 3 survive one loss, 5 two), got " + controlReplicas);
            }
            if (nodes < 1 || shards < 4 || shards < nodes) {
                throw new IllegalArgumentException("need at least 1 node and 4 shards, and no more nodes than shards;"
                        + " got " + nodes + " nodes and " + shards + " shards");
            }
            if (hosts != null && (hosts.isEmpty() || hosts.stream().anyMatch(h -> h.isBlank() || h.contains(":")))) {
                throw new IllegalArgumentException("--hosts takes host names or IPv4 addresses separated by commas, got "
                        + hosts);
            }
            Files.createDirectories(dir);
            if (Files.exists(dir.resolve("genesis.json"))) {
                throw new IllegalArgumentException(dir + " already holds a network (genesis.json); use another directory");
            }
            if (freePorts && hosts == null) {
                throw new IllegalArgumentException("--free-ports goes with --hosts (without it every port is free anyway)");
            }

            Ed25519KeyPair admin = AccountKeys.loadOrCreate(dir.resolve("admin.key"));
            Ed25519KeyPair wallet = AccountKeys.loadOrCreate(dir.resolve("wallet.key"));
            Ed25519KeyPair gatewayAccount = AccountKeys.loadOrCreate(dir.resolve("gateway.key"));

            List<ReplicaPeer> replicas = new ArrayList<>();
            List<int[]> replicaPorts = new ArrayList<>();
            for (int k = 1; k <= controlReplicas; k++) {
                String host = host(k - 1);
                int http = port(host, 9180);
                int raft = port(host, 9181);
                replicaPorts.add(new int[] {http, raft});
                replicas.add(new ReplicaPeer("control-" + k, host + ":" + raft, URI.create("http://" + host + ":" + http)));
            }
            List<URI> controlUrls = replicas.stream().map(ReplicaPeer::url).toList();

            List<GenesisConfig.GenesisNode> genesisNodes = new ArrayList<>();
            Address owner = admin.publicKey().address();
            for (int k = 1; k <= nodes; k++) {
                String host = host(k - 1);
                int port = port(host, 9185);
                BlsKeyPair key = StorageNode.loadOrCreateKey(dir.resolve("node-" + k + ".bls"));
                byte[] proof = new ProofOfPossessionMessage(ControlState.GENESIS_POP_EPOCH, owner, key.publicKey())
                        .sign(key).signature().bytes();
                genesisNodes.add(new GenesisConfig.GenesisNode("node-" + k, host + ":" + port, owner.toString(),
                        key.publicKey().bytes(), proof, NODE_STAKE));
                write("node-" + k + ".yaml", """
                        # storage node %d: tusk node --config node-%d.yaml
                        dataDir: node-%d
                        blsKeyFile: node-%d.bls
                        bindHost: %s
                        port: %d
                        controlUrl: %s
                        """.formatted(k, k, k, k, bindHost(host), port, yamlList(controlUrls)));
            }
            GenesisConfig genesis = GenesisConfig.devnet(owner.toString(), System.currentTimeMillis(), genesisNodes)
                    .withShardCount(shards)
                    .withInitialBalances(Map.of(wallet.publicKey().address().toString(), WALLET_FUNDS,
                            gatewayAccount.publicKey().address().toString(), WALLET_FUNDS));
            TuskJson.mapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("genesis.json").toFile(), genesis);

            for (int k = 1; k <= controlReplicas; k++) {
                StringBuilder members = new StringBuilder();
                for (ReplicaPeer peer : replicas) {
                    members.append("  - {id: ").append(peer.id()).append(", raftAddress: ").append(peer.raftAddress())
                            .append(", url: ").append(peer.url()).append("}\n");
                }
                write("control-" + k + ".yaml", """
                        # control-plane replica %d of %d: tusk control --config control-%d.yaml
                        dataDir: control-%d
                        bindHost: %s
                        port: %d
                        raftPort: %d
                        replicaId: control-%d
                        replicas:
                        %sgenesisFile: genesis.json
                        # the operator's key: the leader advances epochs on their duration (remove to advance by hand)
                        adminKeyFile: admin.key
                        """.formatted(k, controlReplicas, k, k, bindHost(host(k - 1)), replicaPorts.get(k - 1)[0],
                        replicaPorts.get(k - 1)[1], k, members));
            }
            String gatewayHost = host(0);
            int gatewayPort = port(gatewayHost, 31415);
            write("gateway.yaml", """
                    # the publisher/aggregator: tusk gateway --config gateway.yaml
                    bindHost: %s
                    port: %d
                    controlUrl: %s
                    accountKeyFile: gateway.key
                    cacheDir: gateway-cache
                    """.formatted(bindHost(gatewayHost), gatewayPort, yamlList(controlUrls)));
            write("client.yaml", """
                    # a client with a funded account: tusk store FILE --config client.yaml
                    controlUrl: %s
                    accountKeyFile: wallet.key
                    """.formatted(yamlList(controlUrls)));

            PrintWriter out = spec.commandLine().getOut();
            out.printf("Wrote a network of %d control replicas, %d storage nodes and %d shards to %s%n", controlReplicas,
                    nodes, shards, dir.toAbsolutePath());
            for (int k = 1; k <= controlReplicas; k++) {
                out.printf("  ./tusk control --config %s     # %s%n", dir.resolve("control-" + k + ".yaml"),
                        replicas.get(k - 1).url());
            }
            for (int k = 1; k <= nodes; k++) {
                out.printf("  ./tusk node --config %s%n", dir.resolve("node-" + k + ".yaml"));
            }
            out.printf("  ./tusk gateway --config %s     # http://%s:%d%n", dir.resolve("gateway.yaml"), gatewayHost,
                    gatewayPort);
            out.printf("then: ./tusk store FILE --config %s%n", dir.resolve("client.yaml"));
            return 0;
        }

        /**
         * What a part binds: loopback by default; all interfaces on named hosts; the address itself when several
         * "hosts" are addresses of this machine ({@code --free-ports}).
         */
        private String bindHost(String host) {
            return hosts == null ? "127.0.0.1" : freePorts ? host : "0.0.0.0";
        }

        private String host(int i) {
            return hosts == null ? "127.0.0.1" : hosts.get(i % hosts.size());
        }

        /** On a named host the first port at or after {@code preferred} not given out yet; on loopback a free one. */
        private int port(String host, int preferred) throws IOException {
            Set<Integer> used = taken.computeIfAbsent(host, h -> new HashSet<>());
            int port;
            if (hosts == null || freePorts) {
                do {
                    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                        port = socket.getLocalPort();
                    }
                } while (used.contains(port));
            } else {
                port = preferred;
                while (used.contains(port)) {
                    port++;
                }
            }
            used.add(port);
            return port;
        }

        private void write(String name, String text) throws IOException {
            Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        }

        private static String yamlList(List<URI> urls) {
            return "[" + String.join(", ", urls.stream().map(URI::toString).toList()) + "]";
        }
    }
}
