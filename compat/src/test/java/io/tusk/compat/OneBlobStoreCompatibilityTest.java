package io.tusk.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.client.LargeStoreResult;
import io.tusk.client.StoreOptions;
import io.tusk.client.TuskClient;
import io.tusk.control.api.CommitteeMember;
import io.tusk.core.metadata.BlobId;
import io.tusk.testkit.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One blob means one blob: a 20 MB file stored on a cluster shaped like the devnet (4 nodes, 100 shards) is one blob
 * whose ID is the one Walrus's own encoder ({@code @mysten/walrus-wasm}) gives the file, and Walrus's TypeScript
 * {@code StorageNodeClient} reading that ID from the nodes gets the file's metadata (not a manifest's).
 */
class OneBlobStoreCompatibilityTest {
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());
    private static final int SHARDS = 100;
    private static final int SIZE = 20_000_000;

    @TempDir
    Path dir;

    @Test
    void shouldStoreA20MegabyteFileUnderItsWalrusBlobId() throws Exception {
        System.out.println("OneBlobStoreCompatibilityTest seed: " + SEED + " (replay with -Dtusk.test.seed=" + SEED + ")");
        byte[] data = TestBytes.random(new Random(SEED), SIZE);
        Path file = dir.resolve("twenty-megabytes.bin");
        Files.write(file, data);
        OracleMetadata walrus = WalrusOracle.shared().metadata(SHARDS, data);

        try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), 4, SHARDS, 0, 0);
             TuskClient client = cluster.client()) {
            LargeStoreResult stored = client.storeFile(file, StoreOptions.defaults().withEpochs(2), (sent, total) -> { });

            assertThat(stored.chunked()).as("a file that fits in one blob is not chunked").isFalse();
            assertThat(stored.blobId()).as("the stored blob ID is Walrus's blob ID of the file (seed %s)", SEED)
                    .isEqualTo(walrus.blobIdBase64());

            CommitteeMember member = client.committeeInfo().members().get(0);
            TsStorageNodeClient.Outcome metadata = new TsStorageNodeClient(WalrusOracle.shared(), member.networkAddress())
                    .getBlobMetadata(stored.blobId());
            assertThat(metadata.returned()).as("%s", metadata).isTrue();
            assertThat(metadata.resultMap()).containsEntry("blobId", walrus.blobIdBase64())
                    .containsEntry("unencodedLength", String.valueOf(SIZE));

            ByteArrayOutputStream read = new ByteArrayOutputStream(SIZE);
            client.readStream(BlobId.parse(stored.blobId()), read);
            assertThat(read.toByteArray()).as("read back (seed %s)", SEED).isEqualTo(data);
        }
    }
}
