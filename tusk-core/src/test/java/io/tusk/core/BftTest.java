package io.tusk.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class BftTest {
    @ParameterizedTest(name = "n={0}: f={1}, quorum={2}, validity={3}")
    @CsvSource({
            "4, 1, 3, 2",
            "7, 2, 5, 3",
            "10, 3, 7, 4",
            "13, 4, 9, 5",
            "100, 33, 67, 34",
            "1000, 333, 667, 334",
    })
    void shouldDeriveFaultToleranceFromShardCount(int n, int f, int quorum, int validity) {
        assertThat(Bft.maxFaulty(n)).isEqualTo(f);
        assertThat(Bft.minCorrect(n)).isEqualTo(n - f);
        assertThat(Bft.quorumThreshold(n)).isEqualTo(quorum);
        assertThat(Bft.validityThreshold(n)).isEqualTo(validity);
        assertThat(Bft.isQuorum(quorum, n)).isTrue();
        assertThat(Bft.isQuorum(quorum - 1, n)).isFalse();
        assertThat(Bft.isValidity(validity, n)).isTrue();
        assertThat(Bft.isValidity(validity - 1, n)).isFalse();
    }
}
