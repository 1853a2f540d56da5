package io.tusk.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.tusk.core.encoding.BlobDecoder;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverPair;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tusk's RS2 codec against Walrus's own WASM encoder, byte for byte: blob ID, root hash, BCS metadata (every sliver
 * hash), every primary and secondary SliverData, and decoding across the two implementations in both directions.
 *
 * <p>Random inputs come from one seed, printed at start; replay a failure with {@code -Dtusk.test.seed=<seed>}.
 */
class Rs2CompatibilityTest {
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());
    private static final int[] SHARD_COUNTS = {4, 5, 7, 10, 13, 31, 100, 301, 1000};
    private static final int RANDOM_SHARD_COUNTS = 3;
    private static final Map<Integer, BlobEncoder> ENCODERS = new ConcurrentHashMap<>();

    private final WalrusOracle oracle = WalrusOracle.shared();

    @BeforeAll
    static void printSeed() {
        System.out.println("Rs2CompatibilityTest seed: " + SEED + " (replay with -Dtusk.test.seed=" + SEED + ")");
    }

    /**
     * Per-n sizes: empty, 1, 2, around the p·s·2 boundary where the symbol size steps 2 → 4, and a few KiB. Decoding
     * across is checked for every size up to n = 100; above, only for the few-KiB size, because each WASM decode at
     * n ≈ 1000 costs 1.5–4 s on two cores.
     */
    static Stream<Arguments> shardCountsAndSizes() {
        Random random = new Random(SEED);
        List<Arguments> cases = new ArrayList<>();
        for (int n : SHARD_COUNTS) {
            int k = TestBytes.primarySourceSymbols(n) * TestBytes.secondarySourceSymbols(n);
            int kib = 1024 + random.nextInt(7 * 1024);
            IntStream.of(0, 1, 2, 2 * k - 1, 2 * k, 2 * k + 1, kib).distinct()
                    .forEach(size -> cases.add(Arguments.of(n, size, n <= 100 || size == kib)));
        }
        // A few random shard counts (large ones cost like n = 1000 in the WASM oracle, so fewer sizes each).
        for (int i = 0; i < RANDOM_SHARD_COUNTS; i++) {
            int n = 4 + random.nextInt(1200 - 4 + 1);
            int k = TestBytes.primarySourceSymbols(n) * TestBytes.secondarySourceSymbols(n);
            int some = 1 + random.nextInt(64 * 1024);
            IntStream.of(1, 2 * k + 1, some).distinct()
                    .forEach(size -> cases.add(Arguments.of(n, size, size == some)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "n={0}, {1} bytes, decode across: {2}")
    @MethodSource("shardCountsAndSizes")
    void shouldEncodeLikeWalrusAndDecodeAcross(int n, int size, boolean decode) {
        byte[] blob = blob(n, size);
        Compared compared = compareEncoding(n, blob);
        if (decode) {
            decodeAcross(compared, blob, new Random(SEED ^ (31L * n + size)));
        }
    }

    /** Sizes p·s·sym ± 1 around several symbol sizes (including odd raw symbol sizes rounded up to even). */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {4, 10, 13, 100})
    void shouldMatchAroundSymbolSizeBoundaries(int n) {
        int k = TestBytes.primarySourceSymbols(n) * TestBytes.secondarySourceSymbols(n);
        for (int sym : new int[] {4, 6, 64, 66, 130}) {
            for (int size : new int[] {k * sym - 1, k * sym, k * sym + 1}) {
                compareEncoding(n, blob(n, size));
            }
        }
        // Raw symbol size 3 (rounded up to 4) and 65 (rounded up to 66): the padding inside a symbol.
        compareEncoding(n, blob(n, 2 * k + 1 + k / 2));
        compareEncoding(n, blob(n, 64 * k + 1 + k / 2));
    }

    @ParameterizedTest(name = "n={0}, 1 MiB")
    @ValueSource(ints = {10, 100, 1000})
    void shouldMatchOneMebibyte(int n) {
        byte[] blob = blob(n, 1 << 20);
        Compared compared = compareEncoding(n, blob);
        decodeAcross(compared, blob, new Random(SEED + n));
    }

    @Test
    void shouldMatchALargeBlobAtAThousandShards() {
        int size = 12 * 1024 * 1024 + new Random(SEED).nextInt(1024 * 1024);
        byte[] blob = blob(1000, size);
        Compared compared = compareEncoding(1000, blob);
        decodeAcross(compared, blob, new Random(SEED + 1000));
    }

    /** The largest blob n shards can store (symbol size 65534), and one byte more, which both refuse. */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {4, 7, 10})
    void shouldMatchAtTheMaximumBlobSize(int n) {
        long max = TestBytes.maxBlobSize(n);
        assertThat(new EncodingConfig(n).maxBlobSize()).isEqualTo(max);
        byte[] blob = blob(n, Math.toIntExact(max));
        Compared compared = compareEncoding(n, blob);
        assertThat(compared.oracle().symbolSize()).isEqualTo(65534);
        decodeAcross(compared, blob, new Random(SEED - n));

        byte[] tooLarge = Arrays.copyOf(blob, blob.length + 1);
        assertThatThrownBy(() -> encoder(n).encode(tooLarge)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder(n).computeMetadata(tooLarge)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> oracle.metadata(n, tooLarge))
                .isInstanceOfSatisfying(OracleException.class, e -> assertThat(e.isErrorResponse()).isTrue());
    }

    /** computeMetadata (no slivers kept) against the oracle's compute_metadata. */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {4, 10, 100, 1000})
    void shouldComputeMetadataLikeWalrus(int n) {
        int some = 4097 + new Random(SEED + n).nextInt(100_000);
        for (int size : n >= 1000 ? new int[] {some} : new int[] {0, 57, some}) {
            byte[] blob = blob(n, size);
            OracleMetadata expected = oracle.metadata(n, blob);
            BlobMetadataWithId actual = encoder(n).computeMetadata(blob);
            String what = describe(n, size);
            assertThat(actual.blobId().bytes()).as("blob ID, %s", what).isEqualTo(expected.blobId());
            assertThat(actual.blobId().toString()).as("blob ID text, %s", what).isEqualTo(expected.blobIdBase64());
            assertThat(BlobId.parse(expected.blobIdBase64())).isEqualTo(actual.blobId());
            assertThat(actual.metadata().rootHash()).as("root hash, %s", what).isEqualTo(expected.rootHash());
            assertThat(actual.metadata().unencodedLength()).isEqualTo(size);
        }
    }

    // ---- Comparison ------------------------------------------------------------------------------

    record Compared(int n, OracleEncoding oracle, EncodedBlob tusk) {
    }

    /** Encodes with both and compares every byte Walrus defines; returns both results for decoding. */
    private Compared compareEncoding(int n, byte[] blob) {
        String what = describe(n, blob.length);
        OracleEncoding expected = oracle.encode(n, blob);
        EncodedBlob actual = encoder(n).encode(blob);

        OracleMetadata expectedMetadata = expected.metadata();
        BlobMetadataWithId actualMetadata = actual.metadata();
        assertThat(actualMetadata.blobId().toString()).as("blob ID, %s", what)
                .isEqualTo(expectedMetadata.blobIdBase64());
        assertThat(actualMetadata.metadata().rootHash()).as("root hash, %s", what)
                .isEqualTo(expectedMetadata.rootHash());
        assertSameBytes(actualMetadata.toBcs(), expectedMetadata.metadataWithIdBcs().orElseThrow(),
                "BCS BlobMetadataWithId (all sliver hashes), " + what);
        assertThat(BlobMetadataWithId.fromBcs(expectedMetadata.metadataWithIdBcs().orElseThrow()))
                .as("oracle metadata parsed by Tusk, %s", what).isEqualTo(actualMetadata);

        List<SliverPair> pairs = actual.pairs();
        assertThat(pairs).as("pairs, %s", what).hasSize(n);
        for (int q = 0; q < n; q++) {
            SliverPair pair = pairs.get(q);
            assertThat(pair.pairIndex()).isEqualTo(q);
            assertThat(pair.primary().type()).isEqualTo(SliverType.PRIMARY);
            assertThat(pair.primary().index()).as("primary sliver index of pair %d, %s", q, what).isEqualTo(q);
            assertThat(pair.secondary().type()).isEqualTo(SliverType.SECONDARY);
            assertThat(pair.secondary().index()).as("secondary sliver index of pair %d, %s", q, what)
                    .isEqualTo(n - 1 - q);
            assertSameBytes(pair.primary().toBcs(), expected.primaryBuffers().get(q),
                    "primary SliverData of pair " + q + ", " + what);
            assertSameBytes(pair.secondary().toBcs(), expected.secondaryBuffers().get(q),
                    "secondary SliverData of pair " + q + " (secondary sliver " + (n - 1 - q) + "), " + what);
        }
        // Tusk's BCS reader on the oracle's bytes, round trip.
        int probe = Math.floorMod(Arrays.hashCode(expectedMetadata.blobId()), n);
        assertSameBytes(Sliver.fromBcs(SliverType.SECONDARY, expected.secondaryBuffers().get(probe)).toBcs(),
                expected.secondaryBuffers().get(probe), "secondary SliverData round trip, pair " + probe + ", " + what);
        return new Compared(n, expected, actual);
    }

    /** Tusk decodes p random oracle primary slivers; the oracle decodes p random Tusk primary slivers. */
    private void decodeAcross(Compared compared, byte[] blob, Random random) {
        int n = compared.n();
        int p = TestBytes.primarySourceSymbols(n);
        String what = describe(n, blob.length);
        EncodingConfig config = new EncodingConfig(n);
        BlobMetadataWithId metadata = compared.tusk().metadata();

        List<Integer> indices = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        Collections.shuffle(indices, random);
        List<Sliver> fromOracle = new ArrayList<>(p);
        for (int i : indices.subList(0, p)) {
            Sliver sliver = Sliver.fromBcs(SliverType.PRIMARY, compared.oracle().primarySliverData(i));
            fromOracle.add(sliver.verify(config, metadata.metadata()));
        }
        byte[] decodedByTusk = new BlobDecoder(n).decode(metadata, fromOracle);
        assertSameBytes(decodedByTusk, blob, "Tusk decoding oracle primary slivers " + indices.subList(0, p)
                + ", " + what);

        Collections.shuffle(indices, random);
        List<byte[]> fromTusk = new ArrayList<>(p);
        for (int i : indices.subList(0, p)) {
            fromTusk.add(compared.tusk().pairs().get(i).primary().toBcs());
        }
        byte[] decodedByOracle = oracle.decode(n, metadata.blobId().bytes(), blob.length, fromTusk);
        assertSameBytes(decodedByOracle, blob, "oracle decoding Tusk primary slivers " + indices.subList(0, p)
                + ", " + what);
    }

    private static BlobEncoder encoder(int n) {
        return ENCODERS.computeIfAbsent(n, BlobEncoder::new);
    }

    private static byte[] blob(int n, int size) {
        return TestBytes.random(new Random(SEED * 1_000_003L + 7919L * n + size), size);
    }

    private static String describe(int n, long size) {
        return "n=" + n + ", " + size + " bytes, seed " + SEED;
    }

    /** Compares without dumping megabytes: names the first differing offset and both bytes there. */
    static void assertSameBytes(byte[] actual, byte[] expected, String what) {
        int mismatch = Arrays.mismatch(actual, expected);
        if (mismatch < 0) {
            return;
        }
        String at = mismatch < Math.min(actual.length, expected.length)
                ? String.format("first difference at byte %d: Tusk %02x, Walrus %02x", mismatch,
                        actual[mismatch] & 0xFF, expected[mismatch] & 0xFF)
                : "one is a prefix of the other";
        fail(what + ": Tusk has " + actual.length + " bytes, Walrus " + expected.length + "; " + at);
    }
}
