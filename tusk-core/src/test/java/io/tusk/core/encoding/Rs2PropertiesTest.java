package io.tusk.core.encoding;

import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.core.metadata.SliverPairMetadata;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Properties of the RS2 codec over random blobs, shard counts and subsets (jqwik reports the seed of a failure). */
class Rs2PropertiesTest {

    @Provide
    Arbitrary<Integer> shardCounts() {
        return Arbitraries.oneOf(Arbitraries.of(4, 5, 6, 7, 10, 13, 16, 31, 100), Arbitraries.integers().between(4, 64));
    }

    private static byte[] blobFor(int n, long seed, double fill) {
        EncodingConfig config = new EncodingConfig(n);
        int max = (int) Math.min(config.sourceSymbolCount() * 40, 300_000);
        return TestBlobs.random(seed, (int) (max * fill));
    }

    @Property(tries = 40)
    void shouldDecodeFromAnySubsetOfPrimarySlivers(@ForAll("shardCounts") int n, @ForAll long seed,
                                                   @ForAll @IntRange(max = 100) int fillPercent) {
        byte[] blob = blobFor(n, seed, fillPercent / 100.0);
        EncodingConfig config = new EncodingConfig(n);
        EncodedBlob encoded = new BlobEncoder(config).encode(blob);
        List<Sliver> primaries = new ArrayList<>();
        encoded.pairs().forEach(pair -> primaries.add(pair.primary()));
        Random random = new Random(seed);
        Collections.shuffle(primaries, random);
        int count = config.primarySourceSymbols() + random.nextInt(n - config.primarySourceSymbols() + 1);
        List<Sliver> subset = primaries.subList(0, count);
        for (Sliver sliver : subset) {
            sliver.verify(config, encoded.metadata().metadata());
        }
        BlobDecoder decoder = new BlobDecoder(config);
        for (ConsistencyCheck check : ConsistencyCheck.values()) {
            assertThat(decoder.decode(encoded.metadata(), subset, check)).isEqualTo(blob);
        }
    }

    @Property(tries = 20)
    void shouldRefuseTooFewSliversNamingTheNumbers(@ForAll("shardCounts") int n, @ForAll long seed) {
        byte[] blob = blobFor(n, seed, 0.5);
        EncodingConfig config = new EncodingConfig(n);
        EncodedBlob encoded = new BlobEncoder(config).encode(blob);
        int p = config.primarySourceSymbols();
        int count = new Random(seed).nextInt(p);
        List<Sliver> subset = encoded.pairs().stream().skip(n - count).map(SliverPair::primary).toList();
        assertThatThrownBy(() -> new BlobDecoder(config).decode(encoded.metadata(), subset))
                .isInstanceOf(NotEnoughSliversException.class)
                .hasMessageContaining("need " + p + " ").hasMessageContaining("got " + count);
    }

    @Property(tries = 30)
    void shouldCatchAFlippedByteInAnySliver(@ForAll("shardCounts") int n, @ForAll long seed) {
        EncodingConfig config = new EncodingConfig(n);
        EncodedBlob encoded = new BlobEncoder(config).encode(blobFor(n, seed, 0.3));
        Random random = new Random(seed);
        SliverPair pair = encoded.pairs().get(random.nextInt(n));
        Sliver original = random.nextBoolean() ? pair.primary() : pair.secondary();
        byte[] data = original.data();
        data[random.nextInt(data.length)] ^= (byte) (1 << random.nextInt(8));
        Sliver flipped = new Sliver(original.type(), original.index(), original.symbolSize(), data);
        original.verify(config, encoded.metadata().metadata());
        assertThatThrownBy(() -> flipped.verify(config, encoded.metadata().metadata()))
                .isInstanceOf(InvalidSliverException.class).hasMessageContaining("does not match");
    }

    @Property(tries = 30)
    void shouldRebuildAnySliverFromAnyValidSetOfRecoverySymbols(@ForAll("shardCounts") int n, @ForAll long seed) {
        EncodingConfig config = new EncodingConfig(n);
        EncodedBlob encoded = new BlobEncoder(config).encode(blobFor(n, seed, 0.4));
        BlobMetadata metadata = encoded.metadata().metadata();
        Random random = new Random(seed);
        SliverType targetType = random.nextBoolean() ? SliverType.PRIMARY : SliverType.SECONDARY;
        int target = random.nextInt(n);
        List<RecoverySymbol> symbols = new ArrayList<>();
        for (SliverPair pair : encoded.pairs()) {
            Sliver source = pair.sliver(targetType.orthogonal());
            symbols.add(new SliverExpansion(config, source).recoverySymbol(target));
        }
        Collections.shuffle(symbols, random);
        int needed = SliverRecovery.symbolsNeeded(config, targetType);
        assertThat(needed).isEqualTo(targetType == SliverType.PRIMARY ? config.secondarySourceSymbols() : config.primarySourceSymbols());
        // A symbol from a lying node is skipped; the rest still suffice when there are more than needed.
        RecoverySymbol good = symbols.get(0);
        byte[] corrupted = good.data();
        corrupted[random.nextInt(corrupted.length)] ^= 1;
        symbols.set(0, new RecoverySymbol(good.targetType(), good.targetIndex(), good.sourceIndex(), corrupted, good.proof()));
        assertThatThrownBy(() -> symbols.get(0).verify(config, metadata)).isInstanceOf(InvalidSliverException.class);
        List<RecoverySymbol> subset = symbols.subList(0, Math.min(n, needed + 1 + random.nextInt(n - needed + 1)));
        Sliver expected = targetType == SliverType.PRIMARY ? encoded.pairs().get(target).primary()
                : encoded.pairs().get(n - 1 - target).secondary();
        if (subset.size() - 1 >= needed) {
            assertThat(SliverRecovery.recover(config, metadata, targetType, target, subset)).isEqualTo(expected);
        } else {
            assertThatThrownBy(() -> SliverRecovery.recover(config, metadata, targetType, target, subset))
                    .isInstanceOf(NotEnoughSliversException.class);
        }
    }

    @Property(tries = 15)
    void shouldProveAndCatchAnInconsistentEncoding(@ForAll @IntRange(min = 4, max = 40) int n, @ForAll long seed) {
        EncodingConfig config = new EncodingConfig(n);
        EncodedBlob honest = new BlobEncoder(config).encode(blobFor(n, seed, 0.5));
        // A malicious writer replaces one repair primary sliver by garbage and commits to the garbage's hash.
        Random random = new Random(seed);
        int p = config.primarySourceSymbols();
        int badRow = p + random.nextInt(n - p);
        Sliver original = honest.pairs().get(badRow).primary();
        Sliver garbage = new Sliver(SliverType.PRIMARY, badRow, original.symbolSize(), TestBlobs.random(seed + 1, original.length()));
        List<SliverPairMetadata> hashes = new ArrayList<>(honest.metadata().metadata().hashes());
        hashes.set(badRow, new SliverPairMetadata(garbage.computeHash(config), hashes.get(badRow).secondaryHash()));
        BlobMetadata forged = new BlobMetadata(honest.metadata().metadata().encodingType(), honest.metadata().metadata().unencodedLength(), hashes);
        BlobMetadataWithId forgedWithId = new BlobMetadataWithId(forged.computeBlobId(), forged);
        forgedWithId.verify(config);

        // A node rebuilding a secondary sliver from symbols that include the garbage row gets a mismatch and a proof.
        int target = random.nextInt(n);
        List<RecoverySymbol> symbols = new ArrayList<>();
        symbols.add(new SliverExpansion(config, garbage).recoverySymbol(target));
        for (int r = 0; symbols.size() < p; r++) {
            if (r != badRow) {
                symbols.add(new SliverExpansion(config, honest.pairs().get(r).primary()).recoverySymbol(target));
            }
        }
        Sliver honestTarget = honest.pairs().get(n - 1 - target).secondary();
        boolean garbageChangesTarget = !SliverRecovery.decode(config, forged, SliverType.SECONDARY, target, symbols).equals(honestTarget);
        if (!garbageChangesTarget) {
            return; // the garbage cell happens to agree with the honest codeword: nothing inconsistent to see here
        }
        InconsistencyProof proof = catchProof(() -> SliverRecovery.recover(config, forged, SliverType.SECONDARY, target, symbols));
        assertThat(proof.verify(config, forged)).isTrue();
        InconsistencyProof parsed = InconsistencyProof.fromBcs(SliverType.SECONDARY, proof.toBcs());
        assertThat(parsed).isEqualTo(proof);
        assertThat(parsed.verify(config, forged)).isTrue();
        // The same symbols prove nothing against the honest metadata (their proofs do not even verify there).
        assertThat(proof.verify(config, honest.metadata().metadata())).isFalse();
        // A reader decoding with the garbage row among its slivers notices with the default consistency check.
        List<Sliver> read = new ArrayList<>();
        read.add(garbage);
        for (int r = 0; read.size() < p; r++) {
            if (r != 0 && r != badRow) {
                read.add(honest.pairs().get(r).primary());
            }
        }
        if (read.size() == p) {
            assertThatThrownBy(() -> new BlobDecoder(config).decode(forgedWithId, read, ConsistencyCheck.DEFAULT))
                    .isInstanceOf(InconsistentBlobException.class);
            assertThatThrownBy(() -> new BlobDecoder(config).decode(forgedWithId, read, ConsistencyCheck.STRICT))
                    .isInstanceOf(InconsistentBlobException.class);
        }
    }

    private static InconsistencyProof catchProof(Runnable action) {
        try {
            action.run();
        } catch (InconsistentEncodingException e) {
            return e.proof();
        }
        throw new AssertionError("expected the rebuilt sliver to mismatch the forged metadata");
    }

    @Property(tries = 20)
    void shouldRoundTripSliversAndSymbolsThroughBcs(@ForAll @IntRange(min = 4, max = 40) int n, @ForAll long seed) {
        EncodingConfig config = new EncodingConfig(n);
        EncodedBlob encoded = new BlobEncoder(config).encode(blobFor(n, seed, 0.2));
        Random random = new Random(seed);
        SliverPair pair = encoded.pairs().get(random.nextInt(n));
        assertThat(Sliver.fromBcs(SliverType.PRIMARY, pair.primary().toBcs())).isEqualTo(pair.primary());
        assertThat(Sliver.fromBcs(SliverType.SECONDARY, pair.secondary().toBcs())).isEqualTo(pair.secondary());
        RecoverySymbol symbol = new SliverExpansion(config, pair.primary()).recoverySymbol(random.nextInt(n));
        RecoverySymbol parsed = RecoverySymbol.readBcs(new io.tusk.core.bcs.BcsReader(symbol.toBcs()));
        assertThat(parsed).isEqualTo(symbol);
        parsed.verify(config, encoded.metadata().metadata());
    }
}
