package io.tusk.testkit;

import io.tusk.client.ClientConfig;
import io.tusk.client.StoreOptions;
import io.tusk.client.TuskClient;
import io.tusk.core.failpoint.FailPoints;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.StorageNode;
import io.tusk.node.recovery.RecoveryConfig;
import io.tusk.testkit.NodeChecks.OwnedSliver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * I/O errors at each of the node's fail points ({@code docs/fault-injection.md}) on the in-process cluster. Fail
 * points are process-wide, so here every node fails at once: the harshest case, a network-wide disk outage. During
 * the fault no read returns wrong bytes and a store either succeeds or fails with an error; afterwards, with the
 * point disarmed, everything comes back by itself: health says the store takes writes, a store interrupted by the
 * fault completes (reusing its registration), every certified blob reads back byte for byte, and every node serves
 * every sliver it owns (no blob stuck half-stored). Kills at fail points need separate processes: see the tusk-cli
 * {@code FaultScenariosIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailPointScenarioTest {
    private static final int NODES = 4;
    private static final int SHARDS = 16;
    private static final RecoveryConfig FAST = RecoveryConfig.DEFAULT.withDelay(Duration.ofMillis(200))
            .withMaxBackoff(Duration.ofSeconds(1));
    private static final Duration RECOVER = Duration.ofSeconds(60);
    /** Long enough to outlive the epoch changes of these scenarios. */
    private static final StoreOptions OPTIONS = StoreOptions.defaults().withEpochs(5);

    private TestCluster cluster;
    private Random random;
    /** Every blob certified so far, which must always read back. */
    private final Map<BlobId, byte[]> certified = new LinkedHashMap<>();
    /** A client that gives up quickly on nodes that do not confirm (the default waits far longer). */
    private TuskClient impatient;

    @BeforeAll
    void start() throws Exception {
        cluster = TestCluster.start(NODES, SHARDS, FAST);
        random = cluster.random();
        impatient = new TuskClient(new ClientConfig(cluster.local().controlUrl(), cluster.local().wallet(),
                Duration.ofSeconds(5), 64, Duration.ofSeconds(2)));
        storeCertified(cluster.client(), 5_000 + random.nextInt(100_000));
    }

    @AfterEach
    void disarm() {
        FailPoints.disarmAll();
    }

    @AfterAll
    void stop() {
        FailPoints.disarmAll();
        if (impatient != null) {
            impatient.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Points on the write path of every store: while armed on every node, no store can reach a quorum. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"node.store-write", "node.sliver-write", "node.confirmation-sign", "node.event-apply"})
    void shouldRecoverFromIoErrorsOnTheWritePath(String point) throws Exception {
        run(point, () -> {
            FailPoints.armError(point);
            assertCertifiedReadOrFailCleanly();
            byte[] blob = cluster.randomBlob(1 + random.nextInt(60_000));
            RuntimeException failed = null;
            try {
                impatient.store(blob, OPTIONS);
            } catch (RuntimeException e) {
                failed = e;
            }
            assertThat(failed).as("a store while every node fails at %s", point).isNotNull();
            assertThat(failed.getMessage()).as("the store's error").isNotBlank();
            System.out.println("[fail-points] " + point + ": the store failed with: " + failed.getMessage());
            assertThat(FailPoints.hits(point)).isPositive();
            if (point.equals("node.store-write")) {
                assertThat(Blobs.eventually(Duration.ofSeconds(10), () -> everyHealth(h -> h.contains("\"writable\":false"))))
                        .as("every node's health says its store does not take writes").isTrue();
            }
            FailPoints.disarmAll();
            assertThat(Blobs.eventually(Duration.ofSeconds(15), () -> everyHealth(h -> h.contains("\"writable\":true"))))
                    .as("every node's health says its store takes writes again").isTrue();
            // the interrupted store completes, reusing its registration
            certified.put(Blobs.id(cluster.client().store(blob, OPTIONS)), blob);
        });
    }

    /** Reads fail at every node: a read fails with an error, never with wrong bytes, and works once the disk does. */
    @Test
    void shouldRecoverFromReadErrors() throws Exception {
        run("node.store-read", () -> {
            FailPoints.armError("node.store-read");
            for (Map.Entry<BlobId, byte[]> e : certified.entrySet()) {
                try {
                    byte[] read = impatient.read(e.getKey());
                    assertThat(read).isEqualTo(e.getValue());
                } catch (RuntimeException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
            assertThat(FailPoints.hits("node.store-read")).isPositive();
        });
    }

    /** A node that missed a store cannot rebuild while recovery fails; it does once recovery works again. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"node.recovery-fetch", "node.recovery-store"})
    void shouldFinishRecoveryOnceItWorksAgain(String point) throws Exception {
        run(point, () -> {
            int victim = random.nextInt(NODES);
            cluster.stopNode(victim);
            storeCertified(cluster.client(), 20_000 + random.nextInt(80_000));
            FailPoints.armError(point);
            cluster.restartNode(victim);
            StorageNode node = cluster.node(victim);
            assertThat(Blobs.eventually(Duration.ofSeconds(30), () -> FailPoints.hits(point) > 0
                    && node.recovery().metrics().snapshot().failures() > 0))
                    .as("node %d tried to recover and failed at %s", victim, point).isTrue();
            assertThat(node.recovery().pending()).as("blobs still waiting for recovery").isPositive();
            FailPoints.disarmAll();
            // run() checks that it then serves every sliver it owns
        });
    }

    /** Garbage collection failing at an epoch start does not stop the node following events. */
    @Test
    void shouldFollowEventsWhenGarbageCollectionFails() throws Exception {
        run("node.gc-collect", () -> {
            FailPoints.armError("node.gc-collect");
            cluster.local().advanceEpoch();
            assertThat(Blobs.eventually(Duration.ofSeconds(30), () -> FailPoints.hits("node.gc-collect") >= NODES))
                    .as("every node ran (and failed) its collection").isTrue();
            storeCertified(cluster.client(), 1 + random.nextInt(30_000));
        });
    }

    // ---- the checks every scenario ends with ----

    @FunctionalInterface
    private interface Scenario {
        void run() throws Exception;
    }

    private void run(String point, Scenario scenario) throws Exception {
        System.out.println("[fail-points] scenario " + point + " (seed " + cluster.testSeed() + ")");
        try {
            scenario.run();
            FailPoints.disarmAll();
            assertOwedEverything();
        } catch (Throwable failure) {
            FailPoints.disarmAll();
            System.out.println(cluster.describe("scenario " + point + " failed: " + failure));
            throw failure;
        }
    }

    /** Every certified blob reads back; every node serves every sliver it owns of them; health says writable. */
    private void assertOwedEverything() throws InterruptedException {
        for (Map.Entry<BlobId, byte[]> e : certified.entrySet()) {
            Blobs.assertReads(cluster.client(), e.getKey(), e.getValue());
        }
        for (int i = 0; i < NODES; i++) {
            StorageNode node = cluster.node(i);
            List<OwnedSliver> owned = NodeChecks.ownedSlivers(node, certified);
            assertThat(Blobs.eventually(RECOVER, () -> NodeChecks.notServed(node.url(), owned).isEmpty()))
                    .as("node %d serves every sliver it owns; not: %s", i, NodeChecks.notServed(node.url(), owned))
                    .isTrue();
            assertThat(NodeChecks.health(node.url())).contains("\"writable\":true");
        }
    }

    private void assertCertifiedReadOrFailCleanly() {
        for (Map.Entry<BlobId, byte[]> e : certified.entrySet()) {
            try {
                assertThat(impatient.read(e.getKey())).isEqualTo(e.getValue());
            } catch (RuntimeException failed) {
                assertThat(failed.getMessage()).isNotBlank();
            }
        }
    }

    private boolean everyHealth(java.util.function.Predicate<String> condition) {
        for (int i = 0; i < NODES; i++) {
            String health = NodeChecks.health(cluster.node(i).url());
            if (health == null || !condition.test(health)) {
                return false;
            }
        }
        return true;
    }

    private void storeCertified(TuskClient client, int size) {
        byte[] blob = cluster.randomBlob(size);
        certified.put(Blobs.id(client.store(blob, OPTIONS)), blob);
    }
}
