package io.tusk.testkit;

import io.tusk.client.BlobNotFoundException;
import io.tusk.client.StoreOptions;
import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BlobStatus;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Delete and extend through the SDK: statuses, reads, and the nodes' data. */
class DeleteAndExtendTest {
    @Test
    void shouldDeleteADeletableBlob() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            byte[] blob = cluster.randomBlob(20_000);
            BlobObject first = Blobs.object(client.store(blob, StoreOptions.defaults().withEpochs(2)));
            BlobObject second = Blobs.object(client.store(blob, StoreOptions.defaults().withEpochs(2).forced()));
            BlobId id = BlobId.parse(first.blobId());
            assertThat(client.status(id).status()).isInstanceOfSatisfying(BlobStatus.Deletable.class,
                    d -> assertThat(d.deletableCounts().countDeletableCertified()).isEqualTo(2));

            client.delete(ObjectId.parse(first.id()));
            assertThat(client.status(id).status()).isInstanceOfSatisfying(BlobStatus.Deletable.class,
                    d -> assertThat(d.deletableCounts().countDeletableCertified()).isEqualTo(1));
            Blobs.assertReads(client, id, blob); // the other object still keeps it

            client.delete(ObjectId.parse(second.id()));
            assertThat(client.status(id).status()).isInstanceOf(BlobStatus.Nonexistent.class);
            assertThat(client.status(id).objects()).isEmpty();
            assertThat(client.listBlobs().blobs()).extracting(BlobObject::id).doesNotContain(first.id(), second.id());
            assertThatThrownBy(() -> client.read(id)).isInstanceOf(BlobNotFoundException.class).hasMessageContaining("does not exist");
            for (int i = 0; i < cluster.nodeCount(); i++) { // the nodes drop its data once they see the deletion
                int node = i;
                assertThat(Blobs.eventually(Duration.ofSeconds(5), () -> !cluster.node(node).store().hasMetadata(id)))
                        .as("node %d dropped the deleted blob", node).isTrue();
            }
            // deleting again is refused, and the blob can be stored again afterwards
            assertThatThrownBy(() -> client.delete(ObjectId.parse(first.id()))).isInstanceOf(ApiException.class);
            Blobs.object(client.store(blob, StoreOptions.defaults()));
            Blobs.assertReads(client, id, blob);
        });
    }

    @Test
    void shouldRefuseToDeleteAPermanentBlob() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            byte[] blob = cluster.randomBlob(5_000);
            BlobObject object = Blobs.object(client.store(blob, StoreOptions.defaults().permanent()));
            BlobStatus before = client.status(BlobId.parse(object.blobId())).status();
            assertThatThrownBy(() -> client.delete(ObjectId.parse(object.id()))).isInstanceOf(ApiException.class);
            assertThat(client.status(BlobId.parse(object.blobId())).status()).isEqualTo(before);
            Blobs.assertReads(client, BlobId.parse(object.blobId()), blob);
        });
    }

    @Test
    void shouldExtendPermanentAndDeletableBlobs() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            int epoch = client.control().epoch().epoch();
            for (boolean deletable : new boolean[] {false, true}) {
                byte[] blob = cluster.randomBlob(10_000 + cluster.random().nextInt(10_000));
                StoreOptions options = StoreOptions.defaults().withEpochs(2);
                BlobObject object = Blobs.object(client.store(blob, deletable ? options : options.permanent()));
                BlobId id = BlobId.parse(object.blobId());
                assertThat(object.storage().endEpoch()).isEqualTo(epoch + 2);

                client.extend(ObjectId.parse(object.id()), 5);
                BlobObject extended = client.control().object(object.id()).orElseThrow();
                assertThat(extended.storage().endEpoch()).isEqualTo(epoch + 7);
                assertThat(extended.certifiedEpoch()).isEqualTo(object.certifiedEpoch());
                if (!deletable) {
                    assertThat(client.status(id).status()).isInstanceOfSatisfying(BlobStatus.Permanent.class,
                            p -> assertThat(p.endEpoch()).isEqualTo(epoch + 7));
                }
                // a store asking for the extended lifetime is now already covered
                assertThat(client.store(blob, (deletable ? options : options.permanent()).withEpochs(7)))
                        .isInstanceOf(io.tusk.client.StoreResult.AlreadyCertified.class);
                Blobs.assertReads(client, id, blob);
            }
        });
    }

    @Test
    void shouldDropTheDataOfABlobDeletedWhileANodeWasDown() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            byte[] blob = cluster.randomBlob(15_000);
            BlobObject object = Blobs.object(client.store(blob, StoreOptions.defaults()));
            BlobId id = BlobId.parse(object.blobId());
            byte[] kept = cluster.randomBlob(16_000);
            BlobId keptId = Blobs.id(client.store(kept, StoreOptions.defaults()));
            int down = cluster.random().nextInt(cluster.nodeCount());
            assertThat(Blobs.eventually(Duration.ofSeconds(5), () -> cluster.node(down).store().hasMetadata(id))).isTrue();

            cluster.stopNode(down);
            client.delete(ObjectId.parse(object.id()));
            cluster.restartNode(down);
            // it catches up with the events it missed and collects the deleted blob, and only that one
            assertThat(Blobs.eventually(Duration.ofSeconds(10), () -> !cluster.node(down).store().hasMetadata(id)))
                    .as("restarted node %d dropped the blob deleted while it was down", down).isTrue();
            assertThat(cluster.node(down).store().hasMetadata(keptId)).isTrue();
            assertThatThrownBy(() -> client.read(id)).isInstanceOf(BlobNotFoundException.class);
            Blobs.assertReads(client, keptId, kept);
        });
    }
}
