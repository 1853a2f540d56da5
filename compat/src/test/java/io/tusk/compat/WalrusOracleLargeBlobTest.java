package io.tusk.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The harness moves 100+ MiB blobs and their slivers (about 465 MB back from encode) through the pipe. Opt-in, as it
 * takes about 30 s on two cores: {@code -Dtusk.compat.large=true}. Measured: metadata 3.4 s, encode 7.4 s,
 * decode 10.4 s, against 3.2 s and 6.2 s for the same WASM calls inside Node (bench-wasm.mjs), so the pipe adds
 * little.
 */
@EnabledIfSystemProperty(named = "tusk.compat.large", matches = "true")
class WalrusOracleLargeBlobTest {
    private static final int SIZE = 100 * 1024 * 1024 + 12_345;

    @Test
    void shouldEncodeAndDecodeA100MebibyteBlob() {
        WalrusOracle oracle = WalrusOracle.shared();
        byte[] blob = TestBytes.random(new Random(100), SIZE);
        long start = System.nanoTime();
        OracleMetadata metadata = oracle.metadata(100, blob);
        long metadataNanos = System.nanoTime() - start;
        start = System.nanoTime();
        OracleEncoding encoding = oracle.encode(100, blob);
        long encodeNanos = System.nanoTime() - start;
        assertThat(encoding.metadata().blobId()).isEqualTo(metadata.blobId());
        WalrusOracleSelfTest.assertConsistent(encoding, SIZE);
        start = System.nanoTime();
        byte[] decoded = oracle.decode(100, metadata.blobId(), SIZE, encoding.primaryBuffers().subList(60, 94));
        long decodeNanos = System.nanoTime() - start;
        assertThat(java.util.Arrays.equals(decoded, blob)).isTrue();
        System.out.printf("100 MiB at n=100 through the oracle: metadata %d ms, encode %d ms, decode %d ms%n",
                metadataNanos / 1_000_000, encodeNanos / 1_000_000, decodeNanos / 1_000_000);
    }
}
