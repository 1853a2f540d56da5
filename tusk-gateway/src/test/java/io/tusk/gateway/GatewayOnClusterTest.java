package io.tusk.gateway;

import io.tusk.client.ClientConfig;
import io.tusk.client.TuskClient;
import io.tusk.control.api.Command;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;

/**
 * The setup the gateway tests on a real network share: a four-node {@link LocalCluster} of {@link #SHARDS} shards in
 * a temporary directory, one gateway on it (configured by {@link #gatewayConfig()}, the cluster's wallet by default)
 * and a {@link GatewayHttp} to it, started once for the class's tests and closed after them, with the cluster's own
 * client ({@link #wallet()}) if a test used it. A subclass's own
 * {@code @BeforeAll} runs after this one (the cluster and gateway are up), its {@code @AfterAll} before this one (they
 * are still up while it closes its clients). Random test data comes from {@link #random}, whose seed is printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GatewayOnClusterTest {
    static final int SHARDS = 16;
    /** The seed of {@link #random}; replay a run with {@code -Dtusk.test.seed=…}. */
    static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());

    /** The class's temporary directory; the cluster is in {@code cluster/} below it. */
    Path dir;
    LocalCluster cluster;
    Gateway gateway;
    GatewayHttp http;
    private TuskClient wallet;

    /** The gateway's configuration, on the running {@link #cluster}; tests with limits, a relay or auth change it. */
    GatewayConfig gatewayConfig() throws IOException {
        return defaultGatewayConfig();
    }

    /** A gateway on the cluster paying from the cluster's wallet, on a free port: for further gateways of a test. */
    GatewayConfig defaultGatewayConfig() {
        return GatewayConfig.of(cluster.controlUrl(), cluster.directory().resolve("wallet.key")).withPort(0);
    }

    @BeforeAll
    final void startClusterAndGateway(@TempDir Path dir) throws IOException {
        System.out.println(getClass().getSimpleName() + " seed: " + SEED + " (replay with -Dtusk.test.seed=" + SEED
                + ")");
        this.dir = dir;
        cluster = LocalCluster.start(dir.resolve("cluster"), 4, SHARDS, 0, 0);
        gateway = Gateway.start(gatewayConfig());
        http = new GatewayHttp(gateway.uri());
    }

    @AfterAll
    final void stopGatewayAndCluster() {
        closeAll(gateway, wallet, cluster);
    }

    /** The SDK client of the cluster's funded account (the gateway's wallet); opened on first use. */
    TuskClient wallet() {
        if (wallet == null) {
            wallet = cluster.client();
        }
        return wallet;
    }

    /** A client of the cluster with a new account of its own, funded from the faucet. */
    TuskClient fundedClient() throws IOException {
        Ed25519KeyPair account = Ed25519KeyPair.generate(new SecureRandom());
        TuskClient client = new TuskClient(ClientConfig.of(cluster.controlUrl(), account));
        client.control().submit(new Command.Faucet(1_000_000_000_000L), account);
        return client;
    }

    /** {@code length} random bytes from the printed seed; {@code salt} tells a test's blobs apart. */
    static byte[] random(int length, long salt) {
        byte[] data = new byte[length];
        new Random(SEED ^ salt).nextBytes(data);
        return data;
    }

    /** Closes each part that was started (null: never started), in order; the first failure is thrown at the end. */
    static void closeAll(AutoCloseable... parts) {
        IllegalStateException failure = null;
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing " + part + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
