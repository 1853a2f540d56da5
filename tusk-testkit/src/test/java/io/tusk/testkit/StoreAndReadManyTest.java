package io.tusk.testkit;

import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BlobStatus;
import io.tusk.core.encoding.BlobTooLargeException;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Many random blobs, from empty to the largest the shard count allows, permanent and deletable, on a healthy network. */
class StoreAndReadManyTest {
    @Test
    void shouldStoreAndReadBlobsOfEverySizeFromEmptyToTheMaximum() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            EncodingConfig encoding = new EncodingConfig(cluster.shardCount());
            int max = Math.toIntExact(cluster.maxBlobSize());
            int k = Math.toIntExact(encoding.sourceSymbolCount());
            List<Integer> sizes = new ArrayList<>(List.of(0, 1, 2, k - 1, k, k + 1, 2 * k + 1, 4096, max - 1, max));
            for (int i = 0; i < 6; i++) {
                sizes.add(cluster.random().nextInt(200_000));
            }
            int epoch = cluster.client().control().epoch().epoch();
            Map<BlobId, byte[]> stored = new LinkedHashMap<>();
            for (int i = 0; i < sizes.size(); i++) {
                byte[] blob = cluster.randomBlob(sizes.get(i));
                boolean deletable = i % 2 == 0;
                int epochs = 1 + cluster.random().nextInt(3);
                StoreOptions options = StoreOptions.defaults().withEpochs(epochs);
                StoreResult result = cluster.client().store(blob, deletable ? options : options.permanent());

                BlobObject object = Blobs.object(result);
                assertThat(object.size()).isEqualTo(blob.length);
                assertThat(object.deletable()).isEqualTo(deletable);
                assertThat(object.certifiedEpoch()).isEqualTo(epoch);
                assertThat(object.storage().endEpoch()).isEqualTo(epoch + epochs);
                BlobStatus status = cluster.client().status(Blobs.id(result)).status();
                if (deletable) {
                    assertThat(status).isInstanceOfSatisfying(BlobStatus.Deletable.class,
                            d -> assertThat(d.initialCertifiedEpoch()).isEqualTo(epoch));
                } else {
                    assertThat(status).isInstanceOfSatisfying(BlobStatus.Permanent.class, p -> {
                        assertThat(p.isCertified()).isTrue();
                        assertThat(p.endEpoch()).isEqualTo(epoch + epochs);
                    });
                }
                stored.put(Blobs.id(result), blob);
            }
            assertThat(stored).hasSize(sizes.size()); // distinct blob IDs
            try (TuskClient reader = cluster.newClient()) { // a client that stored nothing reads everything
                stored.forEach((id, blob) -> Blobs.assertReads(reader, id, blob));
            }
            assertThat(cluster.client().listBlobs().blobs()).hasSize(sizes.size());

            assertThatThrownBy(() -> cluster.client().store(new byte[max + 1], StoreOptions.defaults()))
                    .isInstanceOf(BlobTooLargeException.class);
        });
    }

    @Test
    void shouldAnswerAlreadyCertifiedWhenAStoredBlobIsStoredAgain() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            StoreOptions deletable = StoreOptions.defaults().withEpochs(3);

            byte[] blob = cluster.randomBlob(12_345);
            StoreResult first = client.store(blob, deletable);
            BlobObject object = Blobs.object(first);
            StoreResult second = client.store(blob, deletable);
            assertThat(second).isEqualTo(new StoreResult.AlreadyCertified(first.blobId(), object.id(), object.storage().endEpoch()));
            // a shorter request is covered too; a longer one is not
            assertThat(client.store(blob, deletable.withEpochs(1))).isInstanceOf(StoreResult.AlreadyCertified.class);
            assertThat(client.store(blob, deletable.withEpochs(5))).isInstanceOf(StoreResult.NewlyCreated.class);
            // a permanent request is not covered by a deletable object
            assertThat(client.store(blob, deletable.permanent())).isInstanceOf(StoreResult.NewlyCreated.class);

            byte[] permanentBlob = cluster.randomBlob(777);
            StoreResult permanent = client.store(permanentBlob, deletable.permanent());
            assertThat(permanent).isInstanceOf(StoreResult.NewlyCreated.class);
            // a permanent object covers a deletable request, and a forced store creates a new object anyway
            assertThat(client.store(permanentBlob, deletable)).isInstanceOf(StoreResult.AlreadyCertified.class);
            assertThat(client.store(permanentBlob, deletable.permanent().forced())).isInstanceOf(StoreResult.NewlyCreated.class);

            assertThat(client.status(Blobs.id(first)).objects()).hasSize(3);
            Blobs.assertReads(client, Blobs.id(first), blob);
            Blobs.assertReads(client, Blobs.id(permanent), permanentBlob);
        });
    }
}
