package io.tusk.client;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LocalBlobCacheTest {
    private static final int SHARDS = 10;
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());

    @TempDir
    Path dir;

    private static byte[] blob(int length, long salt) {
        byte[] data = new byte[length];
        new Random(SEED ^ salt).nextBytes(data);
        return data;
    }

    private static BlobId idOf(byte[] blob) {
        return new BlobEncoder(SHARDS).computeMetadata(blob).blobId();
    }

    private Path onlyEntry() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().startsWith(".") && !f.endsWith("swept-epoch"))
                    .findFirst().orElseThrow();
        }
    }

    @Test
    void shouldServeWhatWasPutAndVerifyIt() {
        LocalBlobCache cache = new LocalBlobCache(dir, 1 << 20, 1 << 20);
        byte[] data = blob(5000, 1);
        BlobId id = idOf(data);
        assertThat(cache.get(id)).isEmpty();
        cache.put(id, data, 7, SHARDS);
        assertThat(cache.get(id)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(data));
        assertThat(cache.size()).isEqualTo(5000);
    }

    @Test
    void shouldDropAnEntryWhoseBytesNoLongerMatchItsId() throws IOException {
        LocalBlobCache cache = new LocalBlobCache(dir, 1 << 20, 1 << 20);
        byte[] data = blob(5000, 2);
        BlobId id = idOf(data);
        cache.put(id, data, 7, SHARDS);
        Path entry = onlyEntry();
        byte[] tampered = Files.readAllBytes(entry);
        tampered[1234] ^= 1;
        Files.write(entry, tampered);
        assertThat(cache.get(id)).as("seed %s", SEED).isEmpty();
        assertThat(entry).doesNotExist();
    }

    @Test
    void shouldDropTheLeastRecentlyReadWhenFull() throws IOException {
        LocalBlobCache cache = new LocalBlobCache(dir, 10_000, 10_000);
        byte[] first = blob(4000, 3);
        byte[] second = blob(4000, 4);
        byte[] third = blob(4000, 5);
        cache.put(idOf(first), first, 9, SHARDS);
        cache.put(idOf(second), second, 9, SHARDS);
        // make the first the most recently read, then overflow: the second goes
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            }
        }
        assertThat(cache.get(idOf(first))).isPresent();
        cache.put(idOf(third), third, 9, SHARDS);
        assertThat(cache.size()).isLessThanOrEqualTo(10_000);
        assertThat(cache.get(idOf(second))).isEmpty();
        assertThat(cache.get(idOf(first))).isPresent();
        assertThat(cache.get(idOf(third))).isPresent();
    }

    @Test
    void shouldNotKeepBlobsOverItsBlobLimit() {
        LocalBlobCache cache = new LocalBlobCache(dir, 1 << 20, 1000);
        byte[] data = blob(1001, 6);
        cache.put(idOf(data), data, 9, SHARDS);
        assertThat(cache.get(idOf(data))).isEmpty();
    }

    @Test
    void shouldDropExpiredBlobsWhenANewEpochIsObservedByAnyProcess() {
        LocalBlobCache cache = new LocalBlobCache(dir, 1 << 20, 1 << 20);
        byte[] ending = blob(3000, 7);
        byte[] lasting = blob(3000, 8);
        cache.put(idOf(ending), ending, 5, SHARDS);
        cache.put(idOf(lasting), lasting, 6, SHARDS);
        cache.observeEpoch(4);
        assertThat(cache.get(idOf(ending))).isPresent();
        cache.observeEpoch(5); // end epochs are exclusive: the blob is gone in its end epoch
        assertThat(cache.get(idOf(ending))).isEmpty();
        assertThat(cache.get(idOf(lasting))).isPresent();

        // another process sharing the directory already swept epoch 5; a blob that expired then is not added back
        LocalBlobCache other = new LocalBlobCache(dir, 1 << 20, 1 << 20);
        other.observeEpoch(5);
        other.put(idOf(ending), ending, 5, SHARDS);
        assertThat(other.get(idOf(ending))).isEmpty();
    }

    @Test
    void shouldReplaceAnEntryWhenItsEndEpochChanges() throws IOException {
        LocalBlobCache cache = new LocalBlobCache(dir, 1 << 20, 1 << 20);
        byte[] data = blob(2000, 9);
        cache.put(idOf(data), data, 5, SHARDS);
        cache.put(idOf(data), data, 8, SHARDS); // extended
        assertThat(onlyEntry().getFileName().toString()).isEqualTo(idOf(data) + ".8." + SHARDS);
        cache.evict(idOf(data));
        assertThat(cache.get(idOf(data))).isEmpty();
    }
}
