package io.tusk.testkit;

import io.tusk.client.ClientConfig;
import io.tusk.client.LargeStoreResult;
import io.tusk.client.StoreOptions;
import io.tusk.client.TuskClient;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One blob means one blob (issue 10): a file or stream that fits in one blob of the committee is stored as one blob
 * whose ID is its Walrus blob ID, whether it is encoded on the heap or, when the client's encoding heap is too small,
 * from the file with its slivers in temporary files; only a larger one, or a chunk size asked for, gives chunks.
 * 16 shards, so the largest blob is 6 x 11 x 65534 = 4,325,244 bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OneBlobStoreTest {
    private static final int SHARDS = 16;
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());

    private LocalCluster cluster;
    private TuskClient client;
    private long maxBlob;
    @TempDir
    Path dir;

    @BeforeAll
    void start(@TempDir Path clusterDir) throws IOException {
        System.out.println("OneBlobStoreTest seed: " + SEED + " (replay with -Dtusk.test.seed=" + SEED + ")");
        cluster = LocalCluster.start(clusterDir, 4, SHARDS, 0, 0);
        client = cluster.client();
        maxBlob = new EncodingConfig(SHARDS).maxBlobSize();
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] random(long length, long salt) {
        byte[] data = new byte[Math.toIntExact(length)];
        new Random(SEED ^ salt).nextBytes(data);
        return data;
    }

    private static String walrusBlobId(byte[] data) {
        return new BlobEncoder(SHARDS).computeMetadata(data).blobId().toString();
    }

    private byte[] readAll(TuskClient reader, String blobId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reader.readStream(BlobId.parse(blobId), out);
        return out.toByteArray();
    }

    /** A client of the same account whose encodings may hold only {@code heapBytes}, spilling under {@code spill}. */
    private TuskClient smallHeapClient(long heapBytes, Path spill) {
        ClientConfig config = client.config().withEncodingHeapBytes(heapBytes).withSpillDirectory(spill);
        return new TuskClient(config);
    }

    @Test
    void shouldStoreAFileOfTheLargestBlobSizeAsOneBlob() throws IOException {
        byte[] data = random(maxBlob, 1);
        Path file = Files.write(dir.resolve("largest.bin"), data);
        LargeStoreResult stored = client.storeFile(file, StoreOptions.defaults(), (sent, total) -> { });
        assertThat(stored.chunked()).isFalse();
        assertThat(stored.blobId()).as("seed %s", SEED).isEqualTo(walrusBlobId(data));
        assertThat(client.read(BlobId.parse(stored.blobId()))).isEqualTo(data);
        assertThat(readAll(client, stored.blobId())).isEqualTo(data); // streamed from the slivers: no cache here
    }

    @Test
    void shouldChunkOnlyWhatDoesNotFitInOneBlob() throws IOException {
        byte[] data = random(maxBlob + 1, 2);
        LargeStoreResult stored = client.storeStream(new ByteArrayInputStream(data), data.length, StoreOptions.defaults(),
                (sent, total) -> { });
        assertThat(stored.chunked()).isTrue();
        assertThat(stored.chunks()).hasSize(2);
        assertThat(stored.chunkSize()).as("chunks of the default size, capped at the largest blob").isEqualTo(maxBlob);
        assertThat(readAll(client, stored.blobId())).as("seed %s", SEED).isEqualTo(data);
    }

    @Test
    void shouldChunkWhenAChunkSizeIsAskedFor() throws IOException {
        byte[] data = random(300_000, 3);
        Path file = Files.write(dir.resolve("asked.bin"), data);
        LargeStoreResult stored = client.storeFile(file, StoreOptions.defaults(), 100_000, (sent, total) -> { });
        assertThat(stored.chunks()).hasSize(3);
        assertThat(stored.blobId()).isNotEqualTo(walrusBlobId(data));
        assertThat(readAll(client, stored.blobId())).isEqualTo(data);
    }

    @Test
    void shouldStoreFromTheFileWhenTheHeapIsTooSmallAndLeaveNothingBehind() throws IOException {
        Path spill = Files.createDirectories(dir.resolve("spill"));
        byte[] data = random(maxBlob - 12_345, 4);
        Path file = Files.write(dir.resolve("spilled.bin"), data);
        try (TuskClient small = smallHeapClient(1, spill)) {
            LargeStoreResult stored = small.storeFile(file, StoreOptions.defaults().forced(), (sent, total) -> { });
            assertThat(stored.chunked()).isFalse();
            assertThat(stored.blobId()).as("seed %s", SEED).isEqualTo(walrusBlobId(data));
            assertThat(readAll(small, stored.blobId())).isEqualTo(data);

            byte[] streamed = random(1_000_003, 5);
            LargeStoreResult fromStream = small.storeStream(new ByteArrayInputStream(streamed), streamed.length,
                    StoreOptions.defaults(), (sent, total) -> { });
            assertThat(fromStream.blobId()).isEqualTo(walrusBlobId(streamed));
            assertThat(readAll(small, fromStream.blobId())).isEqualTo(streamed);

            byte[] inMemory = random(777_777, 6);
            assertThat(small.store(inMemory, StoreOptions.defaults()).blobId()).isEqualTo(walrusBlobId(inMemory));
            assertThat(small.read(BlobId.parse(walrusBlobId(inMemory)))).isEqualTo(inMemory);
        }
        try (Stream<Path> left = Files.list(spill)) {
            assertThat(left).as("temporary files left in the spill directory").isEmpty();
        }
    }

    @Test
    void shouldUseTheSpillDirectoryOnlyWhenTheHeapBudgetIsExceeded() throws IOException {
        Path notADirectory = Files.write(dir.resolve("not-a-directory"), new byte[1]);
        byte[] data = random(50_000, 7);
        try (TuskClient roomy = smallHeapClient(64L << 20, notADirectory)) {
            assertThat(roomy.store(data, StoreOptions.defaults()).blobId()).isEqualTo(walrusBlobId(data));
        }
        try (TuskClient small = smallHeapClient(1, notADirectory)) {
            assertThatThrownBy(() -> small.store(random(50_001, 8), StoreOptions.defaults()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("temporary file for slivers in " + notADirectory);
        }
    }

    @Test
    void shouldRefuseAStreamThatEndsEarly() {
        try (TuskClient small = smallHeapClient(1, dir.resolve("spill-eof"))) {
            assertThatThrownBy(() -> small.storeStream(new ByteArrayInputStream(new byte[1000]), 2000,
                    StoreOptions.defaults(), (sent, total) -> { }))
                    .isInstanceOf(java.io.EOFException.class).hasMessageContaining("after 1000 of 2000 bytes");
        }
    }
}
