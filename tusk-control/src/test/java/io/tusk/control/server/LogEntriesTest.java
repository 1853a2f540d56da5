package io.tusk.control.server;

import io.tusk.control.api.SignedCommand;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bytes of log entries: several commands in their order, entries of the first format (one command), damage. */
class LogEntriesTest {
    private final Random random = new Random(7);

    @Test
    void shouldKeepTheCommandsOfAnEntryAndTheirOrder() {
        List<SignedCommand> commands = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            commands.add(command(10 + 100 * i));
        }
        List<SignedCommand> decoded = LogEntries.decode(ByteBuffer.wrap(LogEntries.encode(commands)));
        assertThat(decoded).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertSameCommand(decoded.get(i), commands.get(i));
        }
        assertThat(LogEntries.encode(commands)).hasSize(LogEntries.entrySize(5,
                commands.stream().mapToLong(LogEntries::encodedSize).sum()));
    }

    @Test
    void shouldReadAnEntryOfTheFirstFormat() {
        SignedCommand c = command(40);
        ByteBuffer old = ByteBuffer.allocate(1 + LogEntries.encodedSize(c)).put(LogEntries.COMMAND)
                .putInt(c.payload().length).put(c.payload()).put((byte) c.publicKey().length).put(c.publicKey())
                .put((byte) c.signature().length).put(c.signature()).flip();
        List<SignedCommand> decoded = LogEntries.decode(old);
        assertThat(decoded).hasSize(1);
        assertSameCommand(decoded.getFirst(), c);
    }

    @Test
    void shouldRefuseDamagedEntries() {
        byte[] entry = LogEntries.encode(List.of(command(20), command(30)));
        assertThatThrownBy(() -> LogEntries.decode(ByteBuffer.wrap(Arrays.copyOf(entry, entry.length - 1))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a Tusk entry");
        assertThatThrownBy(() -> LogEntries.decode(ByteBuffer.wrap(Arrays.copyOf(entry, entry.length + 1))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bytes after the commands");
        byte[] unknown = entry.clone();
        unknown[0] = 9;
        assertThatThrownBy(() -> LogEntries.decode(ByteBuffer.wrap(unknown)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown kind 9");
        assertThatThrownBy(() -> LogEntries.encode(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private SignedCommand command(int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        byte[] key = new byte[32];
        byte[] signature = new byte[64];
        random.nextBytes(payload);
        random.nextBytes(key);
        random.nextBytes(signature);
        return new SignedCommand(payload, key, signature);
    }

    private static void assertSameCommand(SignedCommand actual, SignedCommand expected) {
        assertThat(actual.payload()).isEqualTo(expected.payload());
        assertThat(actual.publicKey()).isEqualTo(expected.publicKey());
        assertThat(actual.signature()).isEqualTo(expected.signature());
    }
}
