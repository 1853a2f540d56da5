package io.tusk.testkit;

import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StoreAndReadTest {
    @TempDir
    Path dir;

    @Test
    void shouldStoreAndReadABlob() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(dir, 4, 16, 0, 0); TuskClient client = cluster.client()) {
            byte[] blob = new byte[100_000];
            new Random(1).nextBytes(blob);
            StoreResult result = client.store(blob, StoreOptions.defaults().withEpochs(3));
            assertThat(result).isInstanceOf(StoreResult.NewlyCreated.class);
            byte[] read = client.read(BlobId.parse(result.blobId()));
            assertThat(read).isEqualTo(blob);
        }
    }
}
