package io.tusk.control.server;

import io.tusk.control.api.SignedCommand;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes Tusk puts in its Raft log entries.
 *
 * <p>A command is {@code u32 BE payload length | payload | u8 key length | key | u8 signature length | signature}: the
 * signed command exactly as submitted (the signature covers the payload bytes, so they are never re-encoded).
 *
 * <p>An entry is {@code 0x02 | u32 BE count | count × (u32 BE length | command)}: the commands a leader gathered from
 * concurrent submissions ({@link CommandBatcher}), applied in this order. Entries of the first format, {@code 0x01 |
 * command} (one command), are still read. The first byte names the entry's kind, so other kinds can be added without
 * ambiguity.
 */
final class LogEntries {
    static final byte COMMAND = 1;
    static final byte COMMANDS = 2;

    private LogEntries() {
    }

    /** The bytes of {@code command} inside an entry (without its length). */
    static int encodedSize(SignedCommand command) {
        return 4 + command.payload().length + 1 + command.publicKey().length + 1 + command.signature().length;
    }

    /** The bytes of an entry holding {@code commands} in their order (at least one). */
    static int entrySize(int count, long commandBytes) {
        return Math.toIntExact(1 + 4 + 4L * count + commandBytes);
    }

    static byte[] encode(List<SignedCommand> commands) {
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("an entry holds at least one command");
        }
        long bytes = 0;
        for (SignedCommand c : commands) {
            if (c.publicKey().length > 255 || c.signature().length > 255) {
                throw new IllegalArgumentException("public key and signature must be at most 255 bytes, got "
                        + c.publicKey().length + " and " + c.signature().length);
            }
            bytes += encodedSize(c);
        }
        ByteBuffer out = ByteBuffer.allocate(entrySize(commands.size(), bytes)).put(COMMANDS).putInt(commands.size());
        for (SignedCommand c : commands) {
            out.putInt(encodedSize(c)).putInt(c.payload().length).put(c.payload())
                    .put((byte) c.publicKey().length).put(c.publicKey())
                    .put((byte) c.signature().length).put(c.signature());
        }
        return out.array();
    }

    /**
     * The commands of an entry, in their order.
     *
     * @throws IllegalStateException if the entry is not one this version writes (a damaged or foreign log)
     */
    static List<SignedCommand> decode(ByteBuffer entry) {
        try {
            ByteBuffer in = entry.duplicate();
            byte kind = in.get();
            List<SignedCommand> commands;
            if (kind == COMMAND) {
                commands = List.of(command(in));
            } else if (kind == COMMANDS) {
                int count = in.getInt();
                if (count < 1 || count > in.remaining() / 4) {
                    throw new IllegalStateException("an entry of " + count + " commands in " + in.remaining() + " bytes");
                }
                commands = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int length = in.getInt();
                    ByteBuffer one = in.slice(in.position(), length);
                    in.position(in.position() + length);
                    commands.add(command(one));
                    if (one.hasRemaining()) {
                        throw new IllegalStateException(one.remaining() + " bytes after command " + i);
                    }
                }
            } else {
                throw new IllegalStateException("log entry of unknown kind " + kind);
            }
            if (in.hasRemaining()) {
                throw new IllegalStateException(in.remaining() + " bytes after the commands");
            }
            return commands;
        } catch (RuntimeException e) {
            throw new IllegalStateException("a Raft log entry is not a Tusk entry: " + e.getMessage(), e);
        }
    }

    private static SignedCommand command(ByteBuffer in) {
        byte[] payload = new byte[in.getInt()];
        in.get(payload);
        byte[] key = new byte[in.get() & 0xFF];
        in.get(key);
        byte[] signature = new byte[in.get() & 0xFF];
        in.get(signature);
        return new SignedCommand(payload, key, signature);
    }
}
