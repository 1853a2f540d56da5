package io.tusk.core.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batch verification agrees with one-by-one verification: all good passes, any one bad fails the batch. */
class BlsBatchTest {
    private final List<BlsKeyPair> keys = new ArrayList<>();
    private final List<BlsPublicKey> publicKeys = new ArrayList<>();
    private final List<byte[]> messages = new ArrayList<>();
    private final List<BlsSignature> signatures = new ArrayList<>();

    BlsBatchTest() {
        for (int i = 0; i < 12; i++) {
            byte[] secret = new byte[32];
            secret[0] = 0x21;
            secret[31] = (byte) (i + 1);
            BlsKeyPair key = BlsKeyPair.fromSecret(secret);
            keys.add(key);
            // every third entry is an aggregate of two signers over one message, as certificates are
            byte[] message = ("confirmation " + i).getBytes(StandardCharsets.UTF_8);
            messages.add(message);
            if (i % 3 == 2) {
                publicKeys.add(BlsPublicKey.aggregate(List.of(keys.get(i - 1).publicKey(), key.publicKey())));
                signatures.add(BlsSignature.aggregate(List.of(keys.get(i - 1).sign(message), key.sign(message))));
            } else {
                publicKeys.add(key.publicKey());
                signatures.add(key.sign(message));
            }
        }
    }

    @Test
    void shouldPassAGoodBatchAndFailABatchWithAnyOneBadSignature() {
        assertThat(BlsBatch.verifyAll(publicKeys, messages, signatures)).isTrue();
        assertThat(BlsBatch.verifyAll(List.of(), List.of(), List.of())).isTrue();
        for (int bad = 0; bad < signatures.size(); bad++) {
            List<BlsSignature> swapped = new ArrayList<>(signatures);
            swapped.set(bad, signatures.get((bad + 1) % signatures.size())); // valid, but over another message
            assertThat(BlsBatch.verifyAll(publicKeys, messages, swapped)).as("bad at %d", bad).isFalse();
            List<byte[]> otherMessages = new ArrayList<>(messages);
            otherMessages.set(bad, "something else".getBytes(StandardCharsets.UTF_8));
            assertThat(BlsBatch.verifyAll(publicKeys, otherMessages, signatures)).as("message at %d", bad).isFalse();
        }
        // two wrong signatures that cancel out in a plain sum do not pass (the random scalars)
        List<BlsSignature> crossed = new ArrayList<>(signatures);
        crossed.set(0, signatures.get(1));
        crossed.set(1, signatures.get(0));
        List<byte[]> crossedMessages = new ArrayList<>(messages);
        assertThat(BlsBatch.verifyAll(publicKeys, crossedMessages, crossed)).isFalse();
        assertThat(BlsBatch.verifyAll(publicKeys.subList(0, 1), messages.subList(0, 1), signatures.subList(0, 1)))
                .isTrue();
        assertThatThrownBy(() -> BlsBatch.verifyAll(publicKeys, messages.subList(0, 3), signatures))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
