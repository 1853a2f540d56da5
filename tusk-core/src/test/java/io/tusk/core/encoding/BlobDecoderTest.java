package io.tusk.core.encoding;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which slivers {@link BlobDecoder} keeps when it is given more than {@code p}. */
class BlobDecoderTest {
    private static final EncodingConfig CONFIG = new EncodingConfig(10);

    @Test
    void shouldKeepTheSystematicSliversWhenAllArePresentWhateverTheirOrder() {
        byte[] data = TestBlobs.patternA(5000);
        EncodedBlob encoded = new BlobEncoder(CONFIG).encode(data);
        int p = CONFIG.primarySourceSymbols();
        // Repair slivers first, as a reader lists them when their holder answered first. The first of them is garbage of
        // the right shape: decoding with it would fail the default consistency check, so a decoder that took the first
        // p given (and decoded) fails here, one that keeps the systematic slivers copies the rows.
        List<Sliver> slivers = new ArrayList<>();
        Sliver repair = encoded.pairs().get(p).primary();
        slivers.add(new Sliver(SliverType.PRIMARY, p, repair.symbolSize(), TestBlobs.random(1, repair.length())));
        for (int i = p + 1; i < CONFIG.shardCount(); i++) {
            slivers.add(encoded.pairs().get(i).primary());
        }
        for (int i = 0; i < p; i++) {
            slivers.add(encoded.pairs().get(i).primary());
        }
        for (ConsistencyCheck check : List.of(ConsistencyCheck.DEFAULT, ConsistencyCheck.STRICT)) {
            assertThat(new BlobDecoder(CONFIG).decode(encoded.metadata(), slivers, check)).isEqualTo(data);
        }
    }

    @Test
    void shouldDecodeFromRepairSliversWhenASystematicOneIsMissing() {
        byte[] data = TestBlobs.patternA(5000);
        EncodedBlob encoded = new BlobEncoder(CONFIG).encode(data);
        List<Sliver> slivers = new ArrayList<>();
        for (int i = CONFIG.shardCount() - 1; i >= 1; i--) { // every sliver but systematic 0, repair ones first
            slivers.add(encoded.pairs().get(i).primary());
        }
        assertThat(new BlobDecoder(CONFIG).decode(encoded.metadata(), slivers)).isEqualTo(data);
    }

    @Test
    void shouldWriteTheBlobFromItsSliversAsDecodeReturnsIt() throws Exception {
        byte[] data = TestBlobs.patternA(5003);
        EncodedBlob encoded = new BlobEncoder(CONFIG).encode(data);
        int p = CONFIG.primarySourceSymbols();
        List<Sliver> systematic = new ArrayList<>();
        List<Sliver> withoutRowZero = new ArrayList<>();
        for (int i = CONFIG.shardCount() - 1; i >= 0; i--) {
            Sliver sliver = encoded.pairs().get(i).primary();
            if (i < p) {
                systematic.add(sliver);
            }
            if (i > 0) {
                withoutRowZero.add(sliver);
            }
        }
        for (List<Sliver> slivers : List.of(systematic, withoutRowZero)) {
            for (ConsistencyCheck check : ConsistencyCheck.values()) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                long written = new BlobDecoder(CONFIG).decodeTo(encoded.metadata(), slivers, check, out);
                assertThat(out.toByteArray()).as(check + ", " + slivers.size() + " slivers").isEqualTo(data);
                assertThat(written).isEqualTo(data.length);
            }
        }
    }

    @Test
    void shouldRefuseTooFewSliversBeforeWritingAnything() {
        EncodedBlob encoded = new BlobEncoder(CONFIG).encode(TestBlobs.patternA(5000));
        List<Sliver> slivers = new ArrayList<>();
        for (int i = 0; i < CONFIG.primarySourceSymbols() - 1; i++) {
            slivers.add(encoded.pairs().get(i).primary());
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BlobDecoder(CONFIG)
                .decodeTo(encoded.metadata(), slivers, ConsistencyCheck.DEFAULT, out))
                .isInstanceOf(NotEnoughSliversException.class);
        assertThat(out.size()).isZero();
    }
}
