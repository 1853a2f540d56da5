package io.tusk.core.encoding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodingConfigTest {
    @ParameterizedTest(name = "n={0}: p={1}, s={2}")
    @CsvSource({"4, 2, 3", "7, 3, 5", "10, 4, 7", "13, 5, 9", "100, 34, 67", "1000, 334, 667"})
    void shouldMatchWalrusSourceSymbolCounts(int n, int p, int s) {
        EncodingConfig config = new EncodingConfig(n);
        assertThat(config.primarySourceSymbols()).isEqualTo(p);
        assertThat(config.secondarySourceSymbols()).isEqualTo(s);
        assertThat(config.symbolsPerSliver(SliverType.PRIMARY)).isEqualTo(s);
        assertThat(config.symbolsPerSliver(SliverType.SECONDARY)).isEqualTo(p);
    }

    @ParameterizedTest(name = "n={0}, length {1} -> symbol {2}")
    @CsvSource({
            "10, 0, 2", "10, 1, 2", "10, 57, 4", "10, 1955, 70",
            "1000, 1, 2", "1000, 445556, 2", "1000, 445557, 4", "1000, 1000000, 6",
    })
    void shouldComputeSymbolSizeAsWalrusDoes(int n, long length, int symbol) {
        assertThat(new EncodingConfig(n).symbolSize(length)).isEqualTo(symbol);
    }

    @ParameterizedTest(name = "length {0} -> encoded {1}")
    @CsvSource({"1, 66034000", "17, 66034000", "445556, 66034000", "1048576, 70038000",
            "104857600, 536504000", "1073741824, 4888852000"})
    void shouldComputeEncodedSizeAsWalrusPrices(long length, long encoded) {
        assertThat(new EncodingConfig(1000).encodedSize(length)).isEqualTo(encoded);
    }

    @Test
    void shouldRejectBlobsLargerThanTheMaximumNamingTheNumbers() {
        EncodingConfig config = new EncodingConfig(1000);
        assertThat(config.maxBlobSize()).isEqualTo(14_599_533_452L);
        assertThat(config.symbolSize(config.maxBlobSize())).isEqualTo(65_534);
        assertThatThrownBy(() -> config.symbolSize(config.maxBlobSize() + 1))
                .isInstanceOf(BlobTooLargeException.class)
                .hasMessageContaining("14599533453").hasMessageContaining("14599533452").hasMessageContaining("1000 shards");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1, 2, 3, 65_536})
    void shouldRejectShardCountsWalrusCannotEncode(int n) {
        assertThatThrownBy(() -> new EncodingConfig(n)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(n));
    }
}
