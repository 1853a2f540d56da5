package io.tusk.testkit;

import io.tusk.client.StoreOptions;
import io.tusk.client.TuskClient;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** One client (one account) used from many threads at once: TuskClient promises thread safety. */
class ConcurrentClientsTest {
    @Test
    void shouldStoreAndReadFromManyThreadsWithOneClient() throws Exception {
        TestCluster.runWithNewCluster(4, 10, cluster -> {
            TuskClient client = cluster.client();
            int threads = 6;
            int perThread = 2;
            List<byte[]> blobs = new ArrayList<>();
            for (int i = 0; i < threads * perThread; i++) {
                blobs.add(cluster.randomBlob(1 + cluster.random().nextInt(10_000)));
            }
            Map<BlobId, byte[]> stored = new ConcurrentHashMap<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                List<Future<?>> tasks = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int first = t * perThread;
                    tasks.add(pool.submit(() -> {
                        for (int i = first; i < first + perThread; i++) {
                            byte[] blob = blobs.get(i);
                            BlobId id = Blobs.id(client.store(blob, i % 2 == 0 ? StoreOptions.defaults() : StoreOptions.defaults().permanent()));
                            stored.put(id, blob);
                            Blobs.assertReads(client, id, blob);
                        }
                        return null;
                    }));
                }
                for (Future<?> task : tasks) {
                    task.get();
                }
            }
            assertThat(stored).hasSize(threads * perThread);
            assertThat(client.listBlobs().blobs()).hasSize(threads * perThread);
        });
    }
}
