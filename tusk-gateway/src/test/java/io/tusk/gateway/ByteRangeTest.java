package io.tusk.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteRangeTest {
    @ParameterizedTest
    @CsvSource({
        "bytes=0-0, 1, 0, 0",
        "bytes=0-0, 10, 0, 0",
        "bytes=9-9, 10, 9, 9",
        "bytes=9-, 10, 9, 9",
        "bytes=0-, 10, 0, 9",
        "bytes=-1, 10, 9, 9",
        "bytes=-10, 10, 0, 9",
        "bytes=-11, 10, 0, 9",
        "bytes=5-100, 10, 5, 9",
        "Bytes=2-3, 10, 2, 3"})
    void shouldParseSingleRanges(String header, long total, long first, long last) throws Exception {
        ByteRange range = ByteRange.parse(header, total);
        assertThat(range.first()).isEqualTo(first);
        assertThat(range.last()).isEqualTo(last);
        assertThat(range.length()).isEqualTo(last - first + 1);
        assertThat(range.contentRange()).isEqualTo("bytes " + first + "-" + last + "/" + total);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=10-", "bytes=10-10", "bytes=3-2", "bytes=-0", "bytes=0-1,2-3", "bytes=",
            "bytes=-", "bytes=a-b", "bytes=1-2-3", "lines=0-1", "", "bytes=99999999999999999999-"})
    void shouldRefuseUnsatisfiableRanges(String header) {
        assertThatThrownBy(() -> ByteRange.parse(header, 10)).isInstanceOf(ByteRange.UnsatisfiableException.class)
                .hasMessageContaining("Range");
    }

    @Test
    void shouldRefuseEveryRangeOfAnEmptyBlob() {
        assertThatThrownBy(() -> ByteRange.parse("bytes=0-", 0)).isInstanceOf(ByteRange.UnsatisfiableException.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=-5", 0)).isInstanceOf(ByteRange.UnsatisfiableException.class);
    }

    @Test
    void shouldLoadConfigurationWithDefaultsAndRefuseUnknownKeys() throws IOException {
        Path dir = Files.createTempDirectory("gateway-config");
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "controlUrl: http://127.0.0.1:9180\naccountKeyFile: wallet.key\nport: 0\n"
                + "cacheDir: cache\npublisherQueue: 2\n");
        GatewayConfig config = GatewayConfig.load(file);
        assertThat(config.port()).isZero();
        assertThat(config.accountKeyFile()).isEqualTo(dir.resolve("wallet.key"));
        assertThat(config.cacheDir()).isEqualTo(dir.resolve("cache"));
        assertThat(config.publisherQueue()).isEqualTo(2);
        assertThat(config.maxBodyBytes()).isEqualTo(10L << 20);
        assertThat(config.bindHost()).isEqualTo("127.0.0.1");

        Files.writeString(file, "controlUrl: http://127.0.0.1:9180\naccountKeyFile: k\nprot: 1\n");
        assertThatThrownBy(() -> GatewayConfig.load(file)).hasMessageContaining("unknown key 'prot'");
        Files.writeString(file, "controlUrl: http://127.0.0.1:9180\naccountKeyFile: k\nport: 70000\n");
        assertThatThrownBy(() -> GatewayConfig.load(file)).hasMessageContaining("port");
        Files.writeString(file, "controlUrl: http://127.0.0.1:9180\naccountKeyFile: k\npublisherConcurrency: x\n");
        assertThatThrownBy(() -> GatewayConfig.load(file)).hasMessageContaining("publisherConcurrency");
        Files.writeString(file, "port: 1\n");
        assertThatThrownBy(() -> GatewayConfig.load(file)).hasMessageContaining("required");

        // the upload relay's tip, in Walrus's shape (docs/upload-relay.md); absent: no tip
        assertThat(config.relay().tip().required()).isFalse();
        Files.writeString(file, "controlUrl: http://127.0.0.1:9180\naccountKeyFile: k\n"
                + "relayTip: {kind: {linear: {base: 3, encoded_size_mul_per_kib: 2}}}\nrelayTipMaxAgeEpochs: 2\n");
        GatewayConfig tipped = GatewayConfig.load(file);
        assertThat(tipped.relay().tip()).isEqualTo(io.tusk.client.RelayTip.linear(null, 3, 2));
        assertThat(tipped.relay().maxAgeEpochs()).isEqualTo(2);
        Files.writeString(file, "controlUrl: http://127.0.0.1:9180\naccountKeyFile: k\n"
                + "relayTip: {send_tip: {address: '0x" + "cd".repeat(32) + "', kind: {const: 105}}}\n");
        assertThat(GatewayConfig.load(file).relay().tip())
                .isEqualTo(io.tusk.client.RelayTip.constant("0x" + "cd".repeat(32), 105));
        // unquoted, YAML reads 0x… as a number: refused, not silently paid to the gateway's own account
        Files.writeString(file, "controlUrl: http://127.0.0.1:9180\naccountKeyFile: k\n"
                + "relayTip: {address: 0x" + "cd".repeat(8) + ", kind: {const: 105}}\n");
        assertThatThrownBy(() -> GatewayConfig.load(file)).hasMessageContaining("quote");
        Files.writeString(file, "controlUrl: http://127.0.0.1:9180\naccountKeyFile: k\nrelayTip: {kind: {cubic: 1}}\n");
        assertThatThrownBy(() -> GatewayConfig.load(file)).hasMessageContaining("relayTip");
    }
}
