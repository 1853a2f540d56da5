package io.tusk.testkit;

import io.tusk.client.ClientConfig;
import io.tusk.client.StoreException;
import io.tusk.client.StoreOptions;
import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BlobStatus;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With too few healthy nodes for a quorum, a store fails quickly and clearly, and nothing is certified. */
class NoQuorumTest {
    @Test
    void shouldFailAStoreClearlyWhenNoQuorumIsPossible() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            // Stop two nodes: 10 shards on 4 nodes are 3+3+2+2, so at least 4 shards go and at most 6 < 2f+1 = 7 remain.
            int first = cluster.random().nextInt(cluster.nodeCount());
            int second = (first + 1 + cluster.random().nextInt(cluster.nodeCount() - 1)) % cluster.nodeCount();
            List<Integer> downShards = new ArrayList<>(cluster.memberOf(first).shards());
            downShards.addAll(cluster.memberOf(second).shards());
            String firstName = cluster.memberOf(first).name();
            String secondName = cluster.memberOf(second).name();
            cluster.stopNode(first);
            cluster.stopNode(second);

            byte[] blob = cluster.randomBlob(25_000);
            BlobId id = new BlobEncoder(new EncodingConfig(cluster.shardCount())).encode(blob).blobId();
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.store(blob, StoreOptions.defaults().permanent()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(id.toString())
                    .hasMessageContaining("quorum")
                    .hasMessageContaining(firstName).hasMessageContaining(secondName)
                    .satisfies(e -> downShards.forEach(shard -> assertThat(e.getMessage()).contains(String.valueOf(shard))))
                    .satisfies(e -> System.out.println("[tusk-test] store failed as expected: " + e.getMessage()));
            assertThat(Blobs.millisSince(start)).as("time to fail").isLessThan(10_000);

            // registered (and paid for) but not certified
            assertThat(client.status(id).status()).isInstanceOfSatisfying(BlobStatus.Permanent.class,
                    p -> assertThat(p.isCertified()).isFalse());
            assertThat(client.status(id).objects()).extracting(BlobObject::certifiedEpoch).containsOnlyNulls();

            // once the nodes are back, the same blob stores and reads
            cluster.restartNode(first);
            cluster.restartNode(second);
            Blobs.object(client.store(blob, StoreOptions.defaults().permanent()));
            Blobs.assertReads(client, id, blob);
        });
    }

    @Test
    void shouldFailAStoreWithinTheRequestTimeoutWhenTooManyNodesHang() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            int first = cluster.random().nextInt(cluster.nodeCount());
            int second = (first + 1 + cluster.random().nextInt(cluster.nodeCount() - 1)) % cluster.nodeCount();
            cluster.blackHoleNode(first);
            cluster.blackHoleNode(second);
            Duration requestTimeout = Duration.ofSeconds(2);
            try (TuskClient client = new TuskClient(new ClientConfig(cluster.local().controlUrl(), cluster.local().wallet(),
                    requestTimeout, 64, Duration.ofSeconds(2)))) {
                byte[] blob = cluster.randomBlob(10_000);
                long start = System.nanoTime();
                assertThatThrownBy(() -> client.store(blob, StoreOptions.defaults()))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("quorum")
                        .hasMessageContaining(cluster.memberOf(first).shards().toString())
                        .hasMessageContaining(cluster.memberOf(second).shards().toString());
                // the hung nodes cost one request timeout, not more
                assertThat(Blobs.millisSince(start)).as("time to fail").isLessThan(requestTimeout.toMillis() + 5_000);
                BlobId id = new BlobEncoder(new EncodingConfig(cluster.shardCount())).encode(blob).blobId();
                assertThat(client.status(id).objects()).extracting(BlobObject::certifiedEpoch).containsOnlyNulls();
            }
        });
    }
}
