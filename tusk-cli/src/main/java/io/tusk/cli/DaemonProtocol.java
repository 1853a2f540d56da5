package io.tusk.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frames between the {@code tusk} launcher ({@link Launcher}) and the client daemon ({@link ClientDaemon}) over a
 * Unix domain socket: {@code type u8 || length u32 BE || payload}. The launcher sends one {@link #REQUEST}, then
 * standard input when the command asks for it and {@link #INTERRUPT} on Ctrl-C; the daemon sends the command's
 * standard output and error as they are written, {@link #STDIN_WANTED} when the command reads its input, and
 * finally {@link #EXIT} with the exit code. Only JDK classes: the launcher must start fast.
 */
final class DaemonProtocol {
    /** Bumped when frames change; a daemon refuses a request of another version (the launcher then starts anew). */
    static final int VERSION = 1;

    /** Launcher to daemon: version, working directory, terminal flag, environment, arguments. */
    static final byte REQUEST = 1;
    /** Launcher to daemon: bytes of standard input; an empty payload is its end. */
    static final byte STDIN = 2;
    /** Launcher to daemon: the user pressed Ctrl-C (or the launcher was asked to stop). */
    static final byte INTERRUPT = 3;
    /** Daemon to launcher: bytes for standard output. */
    static final byte STDOUT = 11;
    /** Daemon to launcher: bytes for standard error. */
    static final byte STDERR = 12;
    /** Daemon to launcher: the command reads its input; send up to the u32 payload's count of bytes. */
    static final byte STDIN_WANTED = 13;
    /** Daemon to launcher: the command ended with the u32 payload's exit code. */
    static final byte EXIT = 14;

    /** Larger frames are refused: a broken or foreign peer, not a Tusk launcher or daemon. */
    static final int MAX_FRAME_BYTES = 16 << 20;

    private DaemonProtocol() {}

    record Frame(byte type, byte[] payload) {
        int intPayload() {
            return ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
        }
    }

    /** One command as the launcher sends it. */
    record Request(String workingDirectory, boolean interactive, Map<String, String> environment, List<String> arguments) {
        byte[] encode() throws IOException {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(VERSION);
            writeString(out, workingDirectory);
            out.writeBoolean(interactive);
            out.writeInt(environment.size());
            for (Map.Entry<String, String> entry : environment.entrySet()) {
                writeString(out, entry.getKey());
                writeString(out, entry.getValue());
            }
            out.writeInt(arguments.size());
            for (String argument : arguments) {
                writeString(out, argument);
            }
            return bytes.toByteArray();
        }

        /** @throws IOException if the request is malformed or of another protocol version */
        static Request decode(byte[] payload) throws IOException {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("launcher speaks protocol " + version + ", this daemon " + VERSION);
            }
            String cwd = readString(in);
            boolean interactive = in.readBoolean();
            int count = in.readInt();
            Map<String, String> environment = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                environment.put(readString(in), readString(in));
            }
            count = in.readInt();
            List<String> arguments = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                arguments.add(readString(in));
            }
            return new Request(cwd, interactive, environment, arguments);
        }
    }

    static void write(DataOutputStream out, byte type, byte[] payload, int offset, int length) throws IOException {
        out.writeByte(type);
        out.writeInt(length);
        out.write(payload, offset, length);
    }

    static byte[] intPayload(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /** The next frame, or null at a clean end of the stream. */
    static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME_BYTES) {
            throw new IOException("frame of " + length + " bytes (type " + type + ") is not a Tusk daemon frame");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame((byte) type, payload);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME_BYTES) {
            throw new EOFException("string of " + length + " bytes in a request");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
