package io.tusk.core.encoding;

import io.tusk.core.metadata.BlobMetadataWithId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bounded-memory encoding (a blob read through a {@link BlobSource}, repair slivers in tables off the heap) gives
 * exactly the in-memory encoder's metadata and slivers, which the golden vectors and the Walrus oracle pin.
 */
class StreamingEncodingTest {

    /** A source that is not an array, so the encoder cannot read rows in place. */
    private record CopyingSource(byte[] bytes) implements BlobSource {
        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public void read(long position, byte[] dst, int offset, int length) {
            java.util.Objects.checkFromIndexSize(position, length, bytes.length);
            System.arraycopy(bytes, (int) position, dst, offset, length);
        }
    }

    /** Tables that hide their arrays, as files do, and count how many are open. */
    private static final class OffHeapStorage implements SliverStorage {
        final AtomicInteger open = new AtomicInteger();

        @Override
        public SliverTable allocate(int slots, int sliverBytes) {
            open.incrementAndGet();
            HeapSliverTable table = new HeapSliverTable(slots, sliverBytes);
            return new SliverTable() {
                @Override public int slots() { return table.slots(); }
                @Override public int sliverBytes() { return table.sliverBytes(); }
                @Override public byte[] array(int slot) { return null; }
                @Override public void write(int slot, int offset, byte[] src, int srcOffset, int length) {
                    table.write(slot, offset, src, srcOffset, length);
                }
                @Override public void read(int slot, int offset, byte[] dst, int dstOffset, int length) {
                    table.read(slot, offset, dst, dstOffset, length);
                }
                @Override public void close() { open.decrementAndGet(); }
            };
        }
    }

    @Provide
    Arbitrary<Integer> shardCounts() {
        return Arbitraries.oneOf(Arbitraries.of(4, 7, 10, 100, 1000), Arbitraries.integers().between(4, 64));
    }

    @Property(tries = 25)
    void shouldEncodeFromAnySourceExactlyAsInMemory(@ForAll("shardCounts") int n, @ForAll long seed,
                                                    @ForAll @IntRange(max = 100) int fillPercent) {
        EncodingConfig config = new EncodingConfig(n);
        int max = (int) Math.min(config.sourceSymbolCount() * 40, 400_000);
        byte[] blob = TestBlobs.random(seed, (int) (max * (fillPercent / 100.0)));
        EncodedBlob expected = new BlobEncoder(config).encode(blob);

        OffHeapStorage storage = new OffHeapStorage();
        for (BlobSource source : List.of(new CopyingSource(blob), BlobSource.ofArray(blob))) {
            try (BlobEncoding streamed = new BlobEncoder(config).encode(source, storage)) {
                assertThat(streamed.metadata()).isEqualTo(expected.metadata());
                assertThat(streamed.inMemory()).isFalse();
                for (int q = 0; q < n; q++) {
                    for (SliverType type : SliverType.values()) {
                        assertThat(streamed.sliver(q, type)).as("pair %d %s", q, type).isEqualTo(expected.sliver(q, type));
                    }
                }
                assertThat(streamed.sliverBytes(SliverType.PRIMARY)).isEqualTo(expected.sliverBytes(SliverType.PRIMARY));
                assertThat(streamed.sliverBytes(SliverType.SECONDARY)).isEqualTo(expected.sliverBytes(SliverType.SECONDARY));
            }
            BlobMetadataWithId metadata = new BlobEncoder(config).computeMetadata(source, storage);
            assertThat(metadata).isEqualTo(expected.metadata());
        }
        assertThat(storage.open).as("tables left open").hasValue(0);
    }

    @Test
    void shouldDecodeStreamedSlivers() {
        EncodingConfig config = new EncodingConfig(13);
        byte[] blob = TestBlobs.random(7, 100_003);
        try (BlobEncoding streamed = new BlobEncoder(config).encode(new CopyingSource(blob), new OffHeapStorage())) {
            List<Sliver> repair = new ArrayList<>();
            for (int q = config.shardCount() - config.primarySourceSymbols(); q < config.shardCount(); q++) {
                repair.add(streamed.sliver(q, SliverType.PRIMARY).verify(config, streamed.metadata().metadata()));
            }
            assertThat(new BlobDecoder(config).decode(streamed.metadata(), repair)).isEqualTo(blob);
        }
    }

    @Test
    void shouldReleaseTablesWhenTheSourceFails() {
        OffHeapStorage storage = new OffHeapStorage();
        BlobSource failing = new BlobSource() {
            @Override public long length() { return 50_000; }
            @Override public void read(long position, byte[] dst, int offset, int length) {
                throw new java.io.UncheckedIOException(new java.io.IOException("disk gone at " + position));
            }
        };
        assertThatThrownBy(() -> new BlobEncoder(10).encode(failing, storage))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("disk gone");
        assertThat(storage.open).hasValue(0);
    }

    @Test
    void shouldRefuseABlobLargerThanTheCommitteeHolds() {
        EncodingConfig config = new EncodingConfig(4);
        BlobSource huge = new BlobSource() {
            @Override public long length() { return config.maxBlobSize() + 1; }
            @Override public void read(long position, byte[] dst, int offset, int length) { }
        };
        assertThatThrownBy(() -> new BlobEncoder(config).encode(huge, SliverStorage.HEAP))
                .isInstanceOf(BlobTooLargeException.class);
    }
}
