package io.tusk.s3;

import io.tusk.testkit.TestCluster;

/** The test seed: {@code -Dtusk.test.seed}, else random; printed so a failure can be replayed. */
final class TestSeeds {
    private TestSeeds() {
    }

    static long seed() {
        return TestCluster.seed();
    }
}
