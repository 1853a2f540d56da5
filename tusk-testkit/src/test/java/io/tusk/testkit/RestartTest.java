package io.tusk.testkit;

import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobInfo;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.store.NodeStore;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Restarting a storage node or the control plane loses no certified blob, changes no status, and stores go on. */
class RestartTest {
    @Test
    void shouldLoseNothingWhenANodeRestarts() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            Map<BlobId, byte[]> stored = storeSome(cluster, 4);
            Map<BlobId, BlobInfo> statuses = statuses(client, stored);

            int restarted = cluster.random().nextInt(cluster.nodeCount());
            cluster.stopNode(restarted);
            cluster.restartNode(restarted);
            NodeStore store = cluster.node(restarted).store();
            for (BlobId id : stored.keySet()) { // everything it held is still on disk
                assertThat(store.hasMetadata(id)).isTrue();
                for (int shard : cluster.memberOf(restarted).shards()) {
                    assertThat(store.hasSliver(shard, SliverType.PRIMARY, id)).isTrue();
                    assertThat(store.hasSliver(shard, SliverType.SECONDARY, id)).isTrue();
                }
            }
            assertThat(statuses(client, stored)).isEqualTo(statuses);

            // With another node down, every quorum needs the restarted node: it must follow events and confirm.
            int other = (restarted + 1) % cluster.nodeCount();
            cluster.stopNode(other);
            stored.forEach((id, blob) -> Blobs.assertReads(client, id, blob));
            byte[] blob = cluster.randomBlob(33_333);
            BlobId id = Blobs.id(client.store(blob, StoreOptions.defaults()));
            assertThat(store.hasMetadata(id)).isTrue();
            cluster.restartNode(other);
            Blobs.assertReads(client, id, blob);
        });
    }

    @Test
    void shouldLoseNothingWhenTheControlPlaneRestarts() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            Map<BlobId, byte[]> stored = storeSome(cluster, 4);
            Map<BlobId, BlobInfo> statuses = statuses(client, stored);
            var owned = client.listBlobs();
            long balance = client.control().account(cluster.local().wallet().publicKey().address().toString()).orElseThrow().balance();

            cluster.restartControl();

            assertThat(statuses(client, stored)).isEqualTo(statuses);
            assertThat(client.listBlobs()).isEqualTo(owned);
            assertThat(client.control().account(cluster.local().wallet().publicKey().address().toString()).orElseThrow().balance())
                    .isEqualTo(balance);
            stored.forEach((id, blob) -> Blobs.assertReads(client, id, blob));

            // The nodes reconnect to the event stream: a new store needs every node to see the new registration.
            byte[] blob = cluster.randomBlob(44_444);
            StoreResult result = client.store(blob, StoreOptions.defaults().permanent());
            Blobs.assertReads(client, Blobs.id(result), blob);
            long waitStart = System.nanoTime();
            for (int i = 0; i < cluster.nodeCount(); i++) {
                int node = i;
                // generous: one run saw a node's long poll stay unanswered for over 5 s after the restart
                assertThat(Blobs.eventually(java.time.Duration.ofSeconds(30),
                        () -> cluster.node(node).store().eventCursor() == client.control().health().eventCount()))
                        .as("node %d caught up with the restarted control plane's events", node).isTrue();
            }
            System.out.println("[tusk-test] all nodes caught up with the restarted control plane "
                    + Blobs.millisSince(waitStart) + " ms after the store");
            // and a second restart, straight after new commands, keeps them too
            Map<BlobId, BlobInfo> after = statuses(client, Map.of(Blobs.id(result), blob));
            cluster.restartControl();
            assertThat(statuses(client, Map.of(Blobs.id(result), blob))).isEqualTo(after);
        });
    }

    static Map<BlobId, byte[]> storeSome(TestCluster cluster, int count) {
        Map<BlobId, byte[]> stored = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] blob = cluster.randomBlob(cluster.random().nextInt(120_000));
            StoreOptions options = StoreOptions.defaults().withEpochs(1 + i);
            stored.put(Blobs.id(cluster.client().store(blob, i % 2 == 0 ? options : options.permanent())), blob);
        }
        return stored;
    }

    static Map<BlobId, BlobInfo> statuses(TuskClient client, Map<BlobId, byte[]> blobs) {
        Map<BlobId, BlobInfo> out = new LinkedHashMap<>();
        blobs.keySet().forEach(id -> out.put(id, client.status(id)));
        return out;
    }

    @Test
    void shouldFinishAStoreWhoseControlPlaneRestartsMidway() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            byte[] blob = cluster.randomBlob(150_000);
            // After registration, at the first sliver sent, the control plane restarts; every sliver upload waits for
            // it, so no quorum can form before: the nodes must pick up their event streams again and confirm, and
            // the client certify against the restarted control plane.
            CompletableFuture<Void> restart = new CompletableFuture<>();
            AtomicBoolean started = new AtomicBoolean();
            StoreResult result = client.store(blob, StoreOptions.defaults(), (sent, total) -> {
                if (started.compareAndSet(false, true)) {
                    Thread.ofPlatform().name("restart-control").start(() -> {
                        try {
                            cluster.restartControl();
                            restart.complete(null);
                        } catch (Throwable e) {
                            restart.completeExceptionally(e);
                        }
                    });
                }
                awaitUninterruptibly(restart);
            });
            assertThat(restart).isCompleted();
            assertThat(Blobs.object(result).certifiedEpoch()).isNotNull();
            Blobs.assertReads(client, Blobs.id(result), blob);
        });
    }

    @Test
    void shouldCertifyOnceTheControlPlaneIsBackWhenItIsDownAtCertification() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            byte[] blob = cluster.randomBlob(60_000);
            // At the first sliver sent (after registration) the control plane stops, and every upload waits until it
            // has stopped, so no quorum can form before; it comes back 2 s later. The client, ready to certify in
            // between, finds the port closed: the certification must wait for it instead of failing the store.
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            CompletableFuture<Void> back = new CompletableFuture<>();
            Thread outage = Thread.ofPlatform().name("control-outage").unstarted(() -> {
                try {
                    cluster.stopControl();
                    stopped.complete(null);
                    Thread.sleep(2_000);
                    cluster.startControl();
                    back.complete(null);
                } catch (Throwable e) {
                    stopped.completeExceptionally(e);
                    back.completeExceptionally(e);
                }
            });
            AtomicBoolean started = new AtomicBoolean();
            StoreResult result;
            try {
                result = client.store(blob, StoreOptions.defaults(), (sent, total) -> {
                    if (started.compareAndSet(false, true)) {
                        outage.start();
                    }
                    awaitUninterruptibly(stopped);
                });
            } finally {
                if (started.get()) {
                    outage.join(); // never leave a control plane starting after the cluster closed
                }
            }
            assertThat(back).isCompleted();
            assertThat(Blobs.object(result).certifiedEpoch()).isNotNull();
            Blobs.assertReads(client, Blobs.id(result), blob);
        });
    }

    /** Waits for {@code future} even if interrupted (a cancelled upload must not cut the fault short), then re-interrupts. */
    private static void awaitUninterruptibly(CompletableFuture<Void> future) {
        boolean interrupted = false;
        while (true) {
            try {
                future.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                throw new IllegalStateException("the injected fault failed", e.getCause());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
