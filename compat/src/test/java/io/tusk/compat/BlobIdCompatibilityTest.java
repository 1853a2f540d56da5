package io.tusk.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.core.metadata.BlobId;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tusk's {@link BlobId} against the {@code @mysten/walrus} SDK: text form, on-chain u256 (little-endian) and the
 * sliver-pair → shard rotation (big-endian bytes mod n), for random IDs and shard counts.
 */
class BlobIdCompatibilityTest {
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());

    @Test
    void shouldReadBlobIdsLikeTheSdk() {
        System.out.println("BlobIdCompatibilityTest seed: " + SEED + " (replay with -Dtusk.test.seed=" + SEED + ")");
        WalrusOracle oracle = WalrusOracle.shared();
        Random random = new Random(SEED);
        for (int i = 0; i < 40; i++) {
            byte[] bytes = TestBytes.random(random, 32);
            if (i == 0) {
                bytes = new byte[32];
            } else if (i == 1) {
                java.util.Arrays.fill(bytes, (byte) 0xFF);
            }
            int n = i % 4 == 0 ? 1000 : 1 + random.nextInt(2000);
            BlobId id = BlobId.of(bytes);
            WalrusOracle.SdkBlobId sdk = oracle.sdkBlobId(n, bytes);
            String what = "blob ID " + sdk.text() + ", n=" + n + ", seed " + SEED;
            assertThat(id.toString()).as(what).isEqualTo(sdk.text());
            assertThat(BlobId.parse(sdk.text())).as(what).isEqualTo(id);
            assertThat(id.toU256()).as("u256 of %s", what).isEqualTo(sdk.u256());
            assertThat(id.rotationOffset(n)).as("rotation of %s", what).isEqualTo(sdk.shardOfPair0());
            assertThat(id.shardForPair(0, n)).as(what).isEqualTo(sdk.shardOfPair0());
            assertThat(id.pairForShard(0, n)).as(what).isEqualTo(sdk.pairOfShard0());
        }
    }
}
