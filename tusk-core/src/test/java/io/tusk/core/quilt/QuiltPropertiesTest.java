package io.tusk.core.quilt;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverPair;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Round trips over random quilts (jqwik reports the seed of a failure). */
class QuiltPropertiesTest {

    @Provide
    Arbitrary<Integer> shardCounts() {
        return Arbitraries.oneOf(Arbitraries.of(4, 5, 7, 10, 13, 100), Arbitraries.integers().between(4, 60));
    }

    /** Random valid identifiers over a mix of ASCII, Latin-1, BMP and astral characters. */
    static String identifier(Random random) {
        int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 12);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            int cp = switch (kind) {
                case 0 -> 0xA1 + random.nextInt(0x100 - 0xA1);
                case 1 -> 0x4E00 + random.nextInt(500);
                case 2 -> 0xE000 + random.nextInt(0x1000);
                case 3 -> 0x1F600 + random.nextInt(50);
                case 4 -> ' ';
                default -> 0x21 + random.nextInt(0x7F - 0x21);
            };
            out.appendCodePoint(cp);
        }
        String s = out.toString();
        return s.endsWith(" ") ? s + "x" : s;
    }

    static List<QuiltPatch> randomPatches(Random random, int maxPatches, int maxSize) {
        int count = random.nextInt(maxPatches + 1);
        Set<String> seen = new HashSet<>();
        List<QuiltPatch> patches = new ArrayList<>();
        while (patches.size() < count) {
            String id = identifier(random);
            if (!seen.add(id)) {
                continue;
            }
            byte[] data = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(maxSize + 1)];
            random.nextBytes(data);
            Map<String, String> tags = new LinkedHashMap<>();
            int tagCount = random.nextInt(3) == 0 ? random.nextInt(6) : 0;
            for (int t = 0; t < tagCount; t++) {
                tags.put(identifier(random), random.nextBoolean() ? "" : identifier(random));
            }
            patches.add(new QuiltPatch(id, data, tags));
        }
        return patches;
    }

    @Property(tries = 60)
    void shouldReadEveryPatchBackFromItsOwnSecondarySlivers(@ForAll("shardCounts") int n, @ForAll long seed) {
        Random random = new Random(seed);
        EncodingConfig config = new EncodingConfig(n);
        int maxPatches = Math.min(config.secondarySourceSymbols() - 1, 12);
        List<QuiltPatch> patches = randomPatches(random, maxPatches, random.nextBoolean() ? 50 : 5000);

        EncodedQuilt quilt = new QuiltEncoder(config).encode(patches);
        assertThat((long) quilt.blob().length).isEqualTo(config.sourceSymbolCount() * quilt.symbolSize());
        assertThat(quilt.symbolSize() % 2).isZero();

        List<QuiltPatch> sorted = new ArrayList<>(patches);
        sorted.sort((a, b) -> QuiltIdentifiers.compare(a.identifier(), b.identifier()));
        assertThat(QuiltReader.readAll(config, quilt.blob())).containsExactlyElementsOf(sorted);

        // Through the real encoding: column j is secondary sliver j, which must verify against the metadata.
        EncodedBlob encoded = new BlobEncoder(config).encode(quilt.blob());
        Sliver[] secondary = new Sliver[n];
        for (SliverPair pair : encoded.pairs()) {
            secondary[pair.secondary().index()] = pair.secondary().verify(config, encoded.metadata().metadata());
        }
        int indexColumns = QuiltReader.indexColumnCount(config, secondary[0]);
        QuiltIndex index = QuiltReader.readIndex(config, List.of(secondary).subList(0, indexColumns));
        assertThat(index).isEqualTo(quilt.index());
        assertThat(QuiltIndex.fromBcs(index.toBcs(), indexColumns, config)).isEqualTo(index);
        for (int i = 0; i < sorted.size(); i++) {
            QuiltPatchInfo info = index.patches().get(i);
            assertThat(info.identifier()).isEqualTo(sorted.get(i).identifier());
            assertThat(info.tags()).isEqualTo(sorted.get(i).tags());
            QuiltPatch read = QuiltReader.readPatch(config, List.of(secondary).subList(info.startIndex(), info.endIndex()));
            assertThat(read).isEqualTo(sorted.get(i));
            QuiltPatchId id = info.patchId(encoded.blobId());
            assertThat(QuiltPatchId.parse(id.toString())).isEqualTo(id);
            assertThat(QuiltPatchId.fromBytes(id.toBytes())).isEqualTo(id);
        }
    }

    @Property(tries = 200)
    void shouldPickTheSmallestEvenSymbolSizeThatFits(@ForAll long seed) {
        Random random = new Random(seed);
        int n = 4 + random.nextInt(60);
        EncodingConfig config = new EncodingConfig(n);
        int p = config.primarySourceSymbols();
        int s = config.secondarySourceSymbols();
        int items = 1 + random.nextInt(s);
        long[] sizes = new long[items];
        for (int i = 0; i < items; i++) {
            sizes[i] = (i == 0 ? 5 : 8) + random.nextInt(random.nextBoolean() ? 100 : 20_000);
        }
        int symbol = QuiltEncoder.symbolSize(sizes, p, s);
        assertThat(columnsUsed(sizes, (long) symbol * p)).isLessThanOrEqualTo(s);
        assertThat(QuiltEncoder.ceilDiv(sizes[0], (long) symbol * p)).isLessThanOrEqualTo(QuiltIndex.MAX_INDEX_COLUMNS);
        // brute force: no smaller x >= L fits (x below the symbol size rounded down to even)
        long total = 0;
        for (long z : sizes) {
            total += z;
        }
        long low = Math.max(Math.max(QuiltEncoder.ceilDiv(total, (long) s * p),
                QuiltEncoder.ceilDiv(sizes[0], 10L * p)), QuiltEncoder.ceilDiv(5, p));
        for (long x = low; x < symbol - 1; x++) {
            assertThat(columnsUsed(sizes, x * p)).as("x=%d fits but symbol size is %d", x, symbol).isGreaterThan(s);
        }
    }

    private static long columnsUsed(long[] sizes, long columnBytes) {
        long used = 0;
        for (long z : sizes) {
            used += QuiltEncoder.ceilDiv(z, columnBytes);
        }
        return used;
    }
}
