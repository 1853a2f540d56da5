package io.tusk.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.EncodedQuilt;
import io.tusk.core.quilt.QuiltEncoder;
import io.tusk.core.quilt.QuiltPatch;
import io.tusk.core.quilt.QuiltPatchId;
import io.tusk.core.quilt.QuiltPatchInfo;
import io.tusk.core.quilt.QuiltReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tusk's quilt encoder against {@code encodeQuilt} of {@code @mysten/walrus} 1.2.13, byte for byte: the quilt blob,
 * the BCS index, the column ranges, the quilt ID (blob ID of the quilt by the WASM encoder) and the patch IDs, over
 * random quilts with n from 4 to 1000; and Tusk reads every patch back from the SDK's quilt.
 *
 * <p>One seed drives everything; it is printed at start; replay with {@code -Dtusk.test.seed=<seed>}. Identifiers
 * avoid U+E000–U+FFFF because the SDK sorts by UTF-16 code units, which differs from Walrus's Rust (and Tusk's)
 * UTF-8 order only when such characters meet characters above U+FFFF.
 */
class QuiltCompatibilityTest {
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());
    /** Random quilts per run; -Dtusk.compat.quilts=N changes it. */
    private static final int CASES = Integer.getInteger("tusk.compat.quilts", 150);

    private final WalrusOracle oracle = WalrusOracle.shared();

    @BeforeAll
    static void printSeed() {
        System.out.println("QuiltCompatibilityTest seed: " + SEED + " (replay with -Dtusk.test.seed=" + SEED + ")");
    }

    @Test
    void shouldBuildTheSameQuiltsAsTheTypeScriptSdk() {
        Random random = new Random(SEED);
        Map<Integer, BlobEncoder> encoders = new LinkedHashMap<>();
        int patchesCompared = 0;
        Set<Integer> shardCounts = new HashSet<>();
        for (int c = 0; c < CASES; c++) {
            int n = shardCount(random, c);
            shardCounts.add(n);
            EncodingConfig config = new EncodingConfig(n);
            int s = config.secondarySourceSymbols();
            List<QuiltPatch> patches = randomPatches(random, Math.min(s - 1, random.nextInt(8) == 0 ? s - 1 : 10),
                    n >= 300 ? 3000 : random.nextBoolean() ? 200 : 20_000);
            String what = "case " + c + " (seed " + SEED + ", n=" + n + ", " + patches.size() + " patches)";

            EncodedQuilt tusk = new QuiltEncoder(config).encode(patches);
            List<WalrusOracle.QuiltBlob> blobs = patches.stream()
                    .map(p -> new WalrusOracle.QuiltBlob(p.identifier(), p.data(), p.tags().isEmpty() && random.nextBoolean() ? null : p.tags()))
                    .toList();
            WalrusOracle.OracleQuilt walrus = oracle.encodeQuilt(n, blobs);

            assertThat(tusk.blob()).as(what + ": quilt blob").isEqualTo(walrus.quilt());
            assertThat(tusk.index().toBcs()).as(what + ": index BCS").isEqualTo(walrus.indexBcs());
            List<QuiltPatchInfo> infos = tusk.index().patches();
            assertThat(infos.stream().map(QuiltPatchInfo::identifier).toList()).as(what).isEqualTo(walrus.identifiers());
            assertThat(infos.stream().map(QuiltPatchInfo::startIndex).toList()).as(what).isEqualTo(walrus.starts());
            assertThat(infos.stream().map(QuiltPatchInfo::endIndex).toList()).as(what).isEqualTo(walrus.ends());

            BlobId quiltId = encoders.computeIfAbsent(n, BlobEncoder::new).computeMetadata(tusk.blob()).blobId();
            assertThat(quiltId.toString()).as(what + ": quilt ID").isEqualTo(walrus.quiltId());
            assertThat(tusk.patchIds(quiltId).stream().map(QuiltPatchId::toString).toList()).as(what + ": patch IDs")
                    .isEqualTo(walrus.patchIds());
            for (String patchId : walrus.patchIds()) {
                assertThat(QuiltPatchId.parse(patchId).toString()).isEqualTo(patchId);
            }

            // Tusk reads the SDK's quilt back.
            List<QuiltPatch> sorted = new ArrayList<>(patches);
            sorted.sort((a, b) -> io.tusk.core.quilt.QuiltIdentifiers.compare(a.identifier(), b.identifier()));
            assertThat(QuiltReader.readAll(config, walrus.quilt())).as(what).containsExactlyElementsOf(sorted);
            patchesCompared += patches.size();
        }
        System.out.println("QuiltCompatibilityTest: " + CASES + " quilts, " + patchesCompared + " patches, "
                + shardCounts.size() + " shard counts between " + shardCounts.stream().min(Integer::compare).orElseThrow()
                + " and " + shardCounts.stream().max(Integer::compare).orElseThrow() + " identical to encodeQuilt");
    }

    /** Fixed edge counts first, then random ones biased to small committees (big ones cost more to hash). */
    private static int shardCount(Random random, int c) {
        int[] fixed = {4, 5, 7, 10, 13, 100, 1000};
        if (c < fixed.length) {
            return fixed[c];
        }
        int roll = random.nextInt(20);
        return roll == 0 ? 1000 : roll < 3 ? 100 + random.nextInt(901) : 4 + random.nextInt(97);
    }

    private static String identifier(Random random) {
        int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 200 : 16);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int cp = switch (random.nextInt(12)) {
                case 0 -> 0xA1 + random.nextInt(0x100 - 0xA1);
                case 1 -> 0x4E00 + random.nextInt(1000);
                case 2 -> 0x1F600 + random.nextInt(64);
                case 3 -> ' ';
                case 4 -> '/';
                default -> 0x21 + random.nextInt(0x7F - 0x21);
            };
            out.appendCodePoint(cp);
        }
        String s = out.toString();
        return s.endsWith(" ") ? s + "_" : s;
    }

    private static List<QuiltPatch> randomPatches(Random random, int maxPatches, int maxSize) {
        int count = random.nextInt(maxPatches + 1);
        Set<String> seen = new HashSet<>();
        List<QuiltPatch> patches = new ArrayList<>();
        while (patches.size() < count) {
            String id = identifier(random);
            if (!seen.add(id)) {
                continue;
            }
            byte[] data = new byte[random.nextInt(5) == 0 ? random.nextInt(3) : random.nextInt(maxSize + 1)];
            random.nextBytes(data);
            Map<String, String> tags = new LinkedHashMap<>();
            if (random.nextInt(3) == 0) {
                int tagCount = 1 + random.nextInt(5);
                for (int t = 0; t < tagCount; t++) {
                    tags.put(random.nextInt(4) == 0 ? Integer.toString(random.nextInt(300)) : identifier(random),
                            random.nextBoolean() ? "" : identifier(random));
                }
            }
            patches.add(new QuiltPatch(id, data, tags));
        }
        return patches;
    }
}
