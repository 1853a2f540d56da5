package io.tusk.control.server;

import io.tusk.control.api.CommandOutcome;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.core.api.ErrorReason;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes Tusk puts in its Raft log entries and replies.
 *
 * <p>A command entry is {@code 0x01 | u32 BE payload length | payload | u8 key length | key | u8 signature length |
 * signature}: the signed command exactly as submitted (the signature covers the payload bytes, so they are never
 * re-encoded). The first byte names the entry's kind, so other kinds can be added without ambiguity.
 *
 * <p>A reply (leader to the submitting HTTP thread, same process) is {@code 0x01 | JSON of CommandOutcome} for an
 * accepted command ({@code 0x03 |} the same for a command sent again, answered with its original outcome), or
 * {@code 0x02 | reason name | 0x00 | message (UTF-8)} for a refused one.
 */
final class LogEntries {
    static final byte COMMAND = 1;
    private static final byte ACCEPTED = 1;
    private static final byte REFUSED = 2;
    private static final byte RETRIED = 3;

    private LogEntries() {
    }

    static byte[] encodeCommand(SignedCommand command) {
        byte[] payload = command.payload();
        byte[] key = command.publicKey();
        byte[] signature = command.signature();
        if (key.length > 255 || signature.length > 255) {
            throw new IllegalArgumentException("public key and signature must be at most 255 bytes, got " + key.length
                    + " and " + signature.length);
        }
        return ByteBuffer.allocate(1 + 4 + payload.length + 1 + key.length + 1 + signature.length)
                .put(COMMAND).putInt(payload.length).put(payload)
                .put((byte) key.length).put(key).put((byte) signature.length).put(signature).array();
    }

    /** @throws IllegalStateException if the entry is not a command this version writes (a damaged or foreign log) */
    static SignedCommand decodeCommand(ByteBuffer entry) {
        try {
            ByteBuffer in = entry.duplicate();
            byte kind = in.get();
            if (kind != COMMAND) {
                throw new IllegalStateException("log entry of unknown kind " + kind);
            }
            byte[] payload = new byte[in.getInt()];
            in.get(payload);
            byte[] key = new byte[in.get() & 0xFF];
            in.get(key);
            byte[] signature = new byte[in.get() & 0xFF];
            in.get(signature);
            if (in.hasRemaining()) {
                throw new IllegalStateException(in.remaining() + " bytes after the command");
            }
            return new SignedCommand(payload, key, signature);
        } catch (RuntimeException e) {
            throw new IllegalStateException("a Raft log entry is not a Tusk command: " + e.getMessage(), e);
        }
    }

    static byte[] encodeResult(CommandResult result) {
        try {
            return switch (result) {
                case CommandResult.Accepted a -> prefixed(a.retried() ? RETRIED : ACCEPTED,
                        ControlJson.mapper().writeValueAsBytes(new CommandOutcome(a.index(), a.events())));
                case CommandResult.Refused r -> prefixed(REFUSED, (r.reason().name() + '\0' + r.message())
                        .getBytes(StandardCharsets.UTF_8));
            };
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a command result", e);
        }
    }

    static CommandResult decodeResult(ByteBuffer reply) {
        ByteBuffer in = reply.duplicate();
        byte kind = in.get();
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        try {
            if (kind == ACCEPTED || kind == RETRIED) {
                CommandOutcome outcome = ControlJson.mapper().readValue(rest, CommandOutcome.class);
                return new CommandResult.Accepted(outcome.index(), outcome.events(), kind == RETRIED);
            }
            if (kind == REFUSED) {
                String text = new String(rest, StandardCharsets.UTF_8);
                int zero = text.indexOf('\0');
                return new CommandResult.Refused(ErrorReason.valueOf(text.substring(0, zero)), text.substring(zero + 1));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot decode a command result: " + e.getMessage(), e);
        }
        throw new IllegalStateException("command result of unknown kind " + kind);
    }

    private static byte[] prefixed(byte kind, byte[] body) {
        return ByteBuffer.allocate(1 + body.length).put(kind).put(body).array();
    }
}
