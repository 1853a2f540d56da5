package io.tusk.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.http.TuskJson;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Walrus's tip-config shapes, the tip of a blob, and the memo that binds a payment to one upload. */
class RelayTipTest {
    private static final String ADDRESS = "0x" + "ab".repeat(32);

    private static JsonNode json(String text) throws Exception {
        return TuskJson.mapper().readTree(text);
    }

    @Test
    void shouldReadAndWriteWalrusTipConfigs() throws Exception {
        assertThat(RelayTip.fromJson(json("\"no_tip\""), true)).isEqualTo(RelayTip.NONE);
        RelayTip constant = RelayTip.fromJson(json("{\"send_tip\": {\"address\": \"" + ADDRESS
                + "\", \"kind\": {\"const\": 105}}}"), true);
        assertThat(constant).isEqualTo(RelayTip.constant(ADDRESS, 105));
        RelayTip linear = RelayTip.fromJson(json("{\"send_tip\": {\"address\": \"" + ADDRESS + "\", \"kind\": "
                + "{\"linear\": {\"base\": 101, \"encoded_size_mul_per_kib\": 42}}}}"), true);
        assertThat(linear).isEqualTo(RelayTip.linear(ADDRESS, 101, 42));
        for (RelayTip tip : new RelayTip[] {RelayTip.NONE, constant, linear}) {
            assertThat(RelayTip.fromJson(TuskJson.mapper().valueToTree(tip.toJson()), true)).isEqualTo(tip);
        }
        // a relay's configuration may leave the address to the relay; an answer to a client may not
        assertThat(RelayTip.fromJson(json("{\"send_tip\": {\"kind\": {\"const\": 1}}}"), false).address()).isNull();
        assertThatThrownBy(() -> RelayTip.fromJson(json("{\"send_tip\": {\"kind\": {\"const\": 1}}}"), true))
                .hasMessageContaining("no address");
        for (String bad : new String[] {"\"free\"", "{\"send_tip\": {\"address\": \"" + ADDRESS + "\", \"kind\": "
                + "{\"quadratic\": 3}}}", "{\"send_tip\": {\"address\": \"" + ADDRESS + "\", \"kind\": {\"const\": -1}}}",
                "{\"send_tip\": {\"address\": \"" + ADDRESS + "\", \"kind\": {\"const\": \"7\"}}}",
                "{\"send_tip\": {\"address\": \"nope\", \"kind\": {\"const\": 7}}}"}) {
            assertThatThrownBy(() -> RelayTip.fromJson(json(bad), true)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldPriceALinearTipByTheEncodedKibRoundedUp() {
        assertThat(RelayTip.NONE.amountFor(1_000_000, 1000)).isZero();
        assertThat(RelayTip.constant(ADDRESS, 105).amountFor(1_000_000, 1000)).isEqualTo(105);
        // 66,034,000 encoded bytes for any small blob at 1000 shards (EncodingConfig): 64,487 KiB rounded up
        assertThat(new EncodingConfig(1000).encodedSize(10)).isEqualTo(66_034_000L);
        assertThat(RelayTip.linear(ADDRESS, 7, 2).amountFor(10, 1000)).isEqualTo(7 + 2 * 64_487L);
        assertThatThrownBy(() -> RelayTip.linear(ADDRESS, 1, Long.MAX_VALUE).amountFor(10, 1000))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void shouldBindAPaymentToOneUploadInWalrussLayout() {
        byte[] blob = "the blob".getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[32];
        Arrays.fill(nonce, (byte) 9);
        byte[] memo = RelayTip.memo(RelayTip.sha256().digest(blob), nonce, blob.length);
        assertThat(memo).hasSize(72);
        assertThat(Arrays.copyOf(memo, 32)).isEqualTo(RelayTip.sha256().digest(blob));
        assertThat(Arrays.copyOfRange(memo, 32, 64)).isEqualTo(RelayTip.sha256().digest(nonce));
        assertThat(ByteBuffer.wrap(memo, 64, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(blob.length);
        assertThat(RelayTip.memoNamesNonceAndLength(memo, nonce, blob.length)).isTrue();
        assertThat(RelayTip.memoNamesNonceAndLength(memo, nonce, blob.length + 1)).isFalse();
        assertThat(RelayTip.memoNamesNonceAndLength(memo, new byte[32], blob.length)).isFalse();
        assertThat(RelayTip.memoNamesNonceAndLength(Arrays.copyOf(memo, 71), nonce, blob.length)).isFalse();
        assertThat(RelayTip.memoBlobDigest(memo)).isEqualTo(RelayTip.sha256().digest(blob));
    }
}
