package io.tusk.core.encoding;

import io.tusk.core.metadata.BlobMetadata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Sliver#verifyAll} keeps exactly the slivers {@link Sliver#verify} passes and refuses the rest as it does. */
class SliverVerifyAllTest {

    private static Sliver corrupted(Sliver sliver, int at) {
        byte[] data = sliver.data();
        data[at % data.length] ^= 0x40;
        return new Sliver(sliver.type(), sliver.index(), sliver.symbolSize(), data);
    }

    @ParameterizedTest(name = "{0} shards, {1} bytes")
    @CsvSource({"4, 1", "10, 1024", "100, 1024", "100, 70000", "31, 5000"})
    void shouldRefuseTheBadSliversAmongGoodOnesWithTheMessageOfASingleCheck(int n, int size) {
        EncodingConfig config = new EncodingConfig(n);
        EncodedBlob blob = TestBlobs.encoded(n, size, n * 31L + size);
        BlobMetadata metadata = blob.metadata().metadata();
        Random random = new Random(size);
        List<Sliver> slivers = new ArrayList<>();
        List<Sliver> bad = new ArrayList<>();
        for (int pair = 0; pair < n; pair++) {
            for (SliverType type : SliverType.values()) {
                Sliver sliver = blob.sliver(pair, type);
                if (random.nextInt(5) == 0) {
                    sliver = corrupted(sliver, random.nextInt(1 << 20));
                    bad.add(sliver);
                }
                slivers.add(sliver);
            }
        }
        Sliver foreign = TestBlobs.encoded(n, size + 2, 7).sliver(n - 1, SliverType.PRIMARY); // another blob's: right shape, wrong hash
        slivers.add(foreign);
        bad.add(foreign);
        List<String> refused = new ArrayList<>();
        List<Sliver> kept = Sliver.verifyAll(config, metadata, slivers, e -> refused.add(e.getMessage()));
        List<Sliver> good = slivers.stream().filter(s -> !bad.contains(s)).toList();
        assertThat(kept).containsExactlyElementsOf(good);
        List<String> expected = new ArrayList<>();
        for (Sliver sliver : bad) {
            assertThatThrownBy(() -> sliver.verify(config, metadata)).isInstanceOf(InvalidSliverException.class)
                    .satisfies(e -> expected.add(e.getMessage()));
        }
        assertThat(refused).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest(name = "{0} shards")
    @CsvSource({"10", "100"})
    void shouldRefuseSliversOfTheWrongShapeBeforeHashing(int n) {
        EncodingConfig config = new EncodingConfig(n);
        EncodedBlob blob = TestBlobs.encoded(n, 1024, 3);
        BlobMetadata metadata = blob.metadata().metadata();
        Sliver good = blob.sliver(0, SliverType.PRIMARY);
        Sliver outOfRange = new Sliver(SliverType.PRIMARY, n, good.symbolSize(), good.data());
        byte[] longer = new byte[good.length() + good.symbolSize()];
        Sliver extraSymbol = new Sliver(SliverType.PRIMARY, 1, good.symbolSize(), longer);
        byte[] wide = new byte[good.symbolCount() * (good.symbolSize() + 2)];
        Sliver widerSymbols = new Sliver(SliverType.PRIMARY, 2, good.symbolSize() + 2, wide);
        List<String> refused = new ArrayList<>();
        List<Sliver> kept = Sliver.verifyAll(config, metadata, List.of(outOfRange, good, extraSymbol, widerSymbols),
                e -> refused.add(e.getMessage()));
        assertThat(kept).containsExactly(good);
        assertThat(refused).hasSize(3).anySatisfy(m -> assertThat(m).contains("index out of range"))
                .anySatisfy(m -> assertThat(m).contains("symbols, a primary sliver"))
                .anySatisfy(m -> assertThat(m).contains("symbol size"));
    }
}
