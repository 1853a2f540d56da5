package io.tusk.core.encoding;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SliverTypeTest {
    /** (n, pair, primary sliver, secondary sliver): pair q holds primary q and secondary n - 1 - q. */
    @ParameterizedTest
    @CsvSource({"10, 0, 0, 9", "10, 3, 3, 6", "10, 9, 9, 0", "1000, 333, 333, 666", "1, 0, 0, 0"})
    void shouldMapPairsToSliversAndBack(int n, int pair, int primary, int secondary) {
        assertThat(SliverType.PRIMARY.sliverIndex(pair, n)).isEqualTo(primary);
        assertThat(SliverType.SECONDARY.sliverIndex(pair, n)).isEqualTo(secondary);
        assertThat(SliverType.PRIMARY.pairIndex(primary, n)).isEqualTo(pair);
        assertThat(SliverType.SECONDARY.pairIndex(secondary, n)).isEqualTo(pair);
    }

    @Test
    void shouldRefuseIndicesOutsideTheShards() {
        assertThatThrownBy(() -> SliverType.SECONDARY.sliverIndex(10, 10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SliverType.PRIMARY.pairIndex(-1, 10)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
