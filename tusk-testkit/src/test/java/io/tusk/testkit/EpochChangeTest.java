package io.tusk.testkit;

import io.tusk.client.BlobNotFoundException;
import io.tusk.client.StoreOptions;
import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobStatus;
import io.tusk.control.api.Command;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Epochs advance (the operator's command): live blobs still read, expired ones are gone, and stores go on. */
class EpochChangeTest {
    @Test
    void shouldKeepLiveBlobsAndExpireOthersAcrossEpochChanges() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            int epoch = client.control().epoch().epoch();
            byte[] shortLived = cluster.randomBlob(10_000);
            byte[] longLived = cluster.randomBlob(20_000);
            BlobId shortId = Blobs.id(client.store(shortLived, StoreOptions.defaults().withEpochs(1).permanent()));
            BlobId longId = Blobs.id(client.store(longLived, StoreOptions.defaults().withEpochs(5)));

            advanceEpoch(cluster);
            assertThat(client.control().epoch().epoch()).isEqualTo(epoch + 1);
            for (int i = 0; i < cluster.nodeCount(); i++) { // every node moves to the new epoch
                int node = i;
                assertThat(Blobs.eventually(Duration.ofSeconds(10),
                        () -> cluster.node(node).store().eventCursor() == client.control().health().eventCount()))
                        .as("node %d followed the epoch change", node).isTrue();
            }
            // the short-lived blob ended with epoch + 1
            assertThat(client.status(shortId).status()).isInstanceOf(BlobStatus.Nonexistent.class);
            assertThatThrownBy(() -> client.read(shortId)).isInstanceOf(BlobNotFoundException.class);
            Blobs.assertReads(client, longId, longLived);

            // stores are confirmed for the new epoch, and a node restart in it loses nothing
            byte[] fresh = cluster.randomBlob(15_000);
            BlobId freshId = Blobs.id(client.store(fresh, StoreOptions.defaults()));
            assertThat(client.status(freshId).objects().getFirst().certifiedEpoch()).isEqualTo(epoch + 1);
            int restarted = cluster.random().nextInt(cluster.nodeCount());
            cluster.stopNode(restarted);
            cluster.restartNode(restarted);
            cluster.stopNode((restarted + 1) % cluster.nodeCount()); // quorums now need the restarted node
            byte[] after = cluster.randomBlob(5_000);
            Blobs.assertReads(client, Blobs.id(client.store(after, StoreOptions.defaults())), after);
            Blobs.assertReads(client, freshId, fresh);
            Blobs.assertReads(client, longId, longLived);
        });
    }

    private static void advanceEpoch(TestCluster cluster) {
        TuskClient client = cluster.client();
        long start = Math.max(System.currentTimeMillis(), client.control().epoch().startTimeMillis());
        client.control().submit(new Command.AdvanceEpoch(start), cluster.local().admin());
    }
}
