package io.tusk.testkit;

import io.tusk.client.LargeStoreResult;
import io.tusk.client.Manifest;
import io.tusk.client.StoreException;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobId;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Large files through the SDK: chunk boundaries, range reads across chunks, manifests, and resumed uploads, on a
 * real four-node cluster with small chunks (so "large" stays small and fast).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeFileTest {
    private static final int CHUNK = 4096;

    private LocalCluster cluster;
    private TuskClient client;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        cluster = LocalCluster.start(dir.resolve("cluster"), 4, 16, 0, 0);
        client = cluster.client();
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

    private static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private LargeStoreResult store(byte[] data) throws IOException {
        return client.storeStream(new ByteArrayInputStream(data), data.length, StoreOptions.defaults().withEpochs(3),
                CHUNK, (sent, total) -> { });
    }

    private byte[] readAll(String blobId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.readStream(BlobId.parse(blobId), out);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0} bytes -> {1} chunks")
    @CsvSource({"1, 0", "4095, 0", "4096, 0", "4097, 2", "8192, 2", "22000, 6"})
    void shouldChunkAtTheBoundariesAndReadBackAsOneStream(int length, int chunks) throws IOException {
        byte[] data = random(length, length);
        LargeStoreResult result = store(data);
        assertThat(result.chunks()).hasSize(chunks);
        assertThat(result.chunked()).isEqualTo(chunks > 0);
        assertThat(readAll(result.blobId())).isEqualTo(data);
        if (chunks > 0) {
            Manifest manifest = client.manifest(BlobId.parse(result.blobId())).orElseThrow();
            assertThat(manifest.totalLength()).isEqualTo(length);
            assertThat(manifest.chunkSize()).isEqualTo(CHUNK);
            assertThat(manifest.chunks()).hasSize(chunks);
            assertThat(manifest.chunkLength(chunks - 1)).isEqualTo(length - (long) (chunks - 1) * CHUNK);
        } else {
            assertThat(client.manifest(BlobId.parse(result.blobId()))).isEmpty();
        }
    }

    @Test
    void shouldReadRangesAcrossChunkBoundaries() throws IOException {
        byte[] data = random(5 * CHUNK + 123, 99);
        BlobId id = BlobId.parse(store(data).blobId());
        long[][] ranges = {{0, 1}, {data.length - 1, 1}, {CHUNK - 1, 2}, {CHUNK, CHUNK}, {CHUNK - 10, 3 * CHUNK + 20},
                {0, data.length}, {4 * CHUNK + 5, CHUNK + 118}, {data.length, 0}};
        for (long[] range : ranges) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.readRange(id, range[0], range[1], out);
            assertThat(out.toByteArray()).as("range %s+%s", range[0], range[1])
                    .isEqualTo(Arrays.copyOfRange(data, (int) range[0], (int) (range[0] + range[1])));
        }
        assertThatThrownBy(() -> client.readRange(id, data.length - 1, 2, new ByteArrayOutputStream()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRoundTripTheManifestAndRejectLookalikes() {
        List<BlobId> ids = List.of(BlobId.of(new byte[32]), BlobId.of(random(32, 1)), BlobId.of(random(32, 2)));
        Manifest manifest = new Manifest(10_000, 4096, ids);
        byte[] bytes = manifest.toBytes();
        assertThat(bytes).hasSize(8 + 1 + 8 + 8 + 1 + 3 * 32);
        assertThat(Manifest.parse(bytes)).contains(manifest);
        assertThat(Manifest.parse(Arrays.copyOf(bytes, bytes.length + 1))).isEmpty(); // trailing byte
        assertThat(Manifest.parse(Arrays.copyOf(bytes, bytes.length - 1))).isEmpty(); // truncated
        byte[] wrongCount = bytes.clone();
        wrongCount[9] = 0x20; // total length 10016 + ... no longer 3 chunks of 4096
        wrongCount[10] = 0x40;
        assertThat(Manifest.parse(wrongCount)).isEmpty();
        byte[] text = "not a manifest at all, just text that is long enough to be one".repeat(3).getBytes();
        assertThat(Manifest.parse(text)).isEmpty();
        assertThatThrownBy(() -> new Manifest(4096, 4096, ids)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFailOnAShortInput() {
        assertThatThrownBy(() -> client.storeStream(new ByteArrayInputStream(new byte[CHUNK * 2]), CHUNK * 3L,
                StoreOptions.defaults(), CHUNK, (sent, total) -> { })).isInstanceOf(java.io.EOFException.class);
    }

    /**
     * Two of four nodes stop while chunk 3 is being read, once chunks 1 and 2 are certified (the store may upload a
     * chunk while it reads the next, so the test waits for their certificates rather than assuming them): the store
     * fails after retrying the failed chunk. The nodes come back; the same store again skips the certified chunks,
     * says so, and completes; the file reads back.
     */
    @Test
    void shouldResumeAFailedUploadWithoutSendingCertifiedChunksAgain() throws Exception {
        byte[] data = random(6 * CHUNK, 4242);
        List<BlobId> firstTwo = List.of(chunkId(data, 0), chunkId(data, 1));
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(data)) {
            long position;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= 3L * CHUNK && cluster.node(0) != null) {
                    Awaitility.await("chunks 1 and 2 certified").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                            .until(() -> firstTwo.stream().allMatch(id -> client.status(id).objects().stream()
                                    .anyMatch(object -> object.certifiedEpoch() != null)));
                    cluster.stopNode(0);
                    cluster.stopNode(1);
                }
                int n = super.read(b, off, len);
                position += Math.max(0, n);
                return n;
            }
        };
        StoreOptions options = StoreOptions.defaults().withEpochs(2);
        try {
            assertThatThrownBy(() -> client.storeStream(failing, data.length, options, CHUNK, (s, t) -> { }))
                    .isInstanceOf(StoreException.class).hasMessageContaining("run the same store again to resume");
        } finally {
            cluster.restartNode(0);
            cluster.restartNode(1);
        }
        LargeStoreResult resumed = client.storeStream(new ByteArrayInputStream(data), data.length, options, CHUNK,
                (s, t) -> { });
        assertThat(resumed.chunks()).hasSize(6);
        assertThat(resumed.chunksSkipped()).isGreaterThanOrEqualTo(2);
        assertThat(resumed.chunks().get(0)).isInstanceOf(StoreResult.AlreadyCertified.class);
        assertThat(resumed.chunks().get(1)).isInstanceOf(StoreResult.AlreadyCertified.class);
        assertThat(resumed.chunks().get(5)).isInstanceOf(StoreResult.NewlyCreated.class);
        assertThat(readAll(resumed.blobId())).isEqualTo(data);
    }

    /** The blob ID of chunk {@code index} of {@code data}, as the store computes it on this cluster's 16 shards. */
    private static BlobId chunkId(byte[] data, int index) {
        byte[] chunk = Arrays.copyOfRange(data, index * CHUNK, (index + 1) * CHUNK);
        return new BlobEncoder(new EncodingConfig(16)).computeMetadata(chunk).blobId();
    }

    /** A chunk whose upload fails while two nodes are down is retried alone and succeeds once they are back. */
    @Test
    void shouldRetryAFailedChunkAlone() throws Exception {
        byte[] data = random(3 * CHUNK, 777);
        cluster.stopNode(2);
        cluster.stopNode(3);
        Thread restarter = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(1500);
                cluster.restartNode(2);
                cluster.restartNode(3);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        LargeStoreResult result;
        try {
            result = store(data);
        } finally {
            restarter.join();
        }
        assertThat(result.chunks()).hasSize(3);
        assertThat(readAll(result.blobId())).isEqualTo(data);
        // every chunk object is certified once: the retry reused the registration instead of registering again
        for (StoreResult chunk : result.chunks()) {
            assertThat(client.status(BlobId.parse(chunk.blobId())).objects()).hasSize(1);
        }
    }
}
