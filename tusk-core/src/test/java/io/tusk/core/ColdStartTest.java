package io.tusk.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.hash.Blake2b256Batch;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ColdStartTest {
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());

    @AfterEach
    void warm() {
        ColdStart.reset(false); // what every other test (and process) runs with
    }

    @Test
    void shouldTakeTheScalarKernelsUntilEnoughBlobWorkHasBegun() {
        Blake2b256Batch warmChoice = Blake2b256Batch.fastest();
        ColdStart.reset(true);
        assertThat(ColdStart.vectorKernels()).isFalse();
        assertThat(Blake2b256Batch.fastest()).isEqualTo(Blake2b256Batch.SCALAR);

        ColdStart.blobWork(ColdStart.WARM_BYTES - 1);
        assertThat(ColdStart.vectorKernels()).isFalse();
        ColdStart.blobWork(1);
        assertThat(ColdStart.vectorKernels()).isTrue();
        assertThat(Blake2b256Batch.fastest()).isEqualTo(warmChoice);
    }

    @Test
    void shouldStartWarmUnlessTheProcessSaysOtherwise() {
        assertThat(System.getProperty(ColdStart.PROPERTY)).isNull();
        assertThat(ColdStart.vectorKernels()).isTrue();
        ColdStart.blobWork(1);
        assertThat(ColdStart.vectorKernels()).isTrue();
    }

    /** A cold encoding (scalar RS and Blake2b) and a warm one (the vector kernels where present) agree byte for byte. */
    @Test
    void shouldEncodeTheSameColdAndWarm() {
        System.out.println("ColdStartTest seed: " + SEED + " (replay with -Dtusk.test.seed=" + SEED + ")");
        byte[] blob = new byte[3000 + new Random(SEED).nextInt(5000)];
        new Random(SEED).nextBytes(blob);
        BlobEncoder encoder = new BlobEncoder(new EncodingConfig(100));

        ColdStart.reset(true);
        var cold = encoder.encode(blob);
        assertThat(ColdStart.vectorKernels()).as("a small blob leaves the process cold").isFalse();
        ColdStart.reset(false);
        var warm = encoder.encode(blob);

        assertThat(cold.metadata().toBcs()).isEqualTo(warm.metadata().toBcs());
        for (int i = 0; i < cold.pairs().size(); i++) {
            assertThat(cold.pairs().get(i).primary().data()).isEqualTo(warm.pairs().get(i).primary().data());
            assertThat(cold.pairs().get(i).secondary().data()).isEqualTo(warm.pairs().get(i).secondary().data());
        }
    }
}
