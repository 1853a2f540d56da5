package io.tusk.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Sends one request to a running node's {@link AdminSocket} and reads its answer. */
public final class AdminClient {
    private static final int MAX_ANSWER_BYTES = 1 << 20;

    private AdminClient() {
    }

    /**
     * The node's answer to {@code request}.
     *
     * @throws IOException if no node listens on {@code socket} (it is not running, or another socket is configured)
     * @throws IllegalStateException with the node's message if the node refused or failed the request
     */
    public static JsonNode send(Path socket, String request) throws IOException {
        byte[] answer;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new IOException("no node answers on the admin socket " + socket + " (is it running, with this "
                        + "adminSocket?): " + e.getMessage(), e);
            }
            ByteBuffer out = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            answer = readAll(channel);
        }
        JsonNode json = new ObjectMapper().readTree(answer);
        if (json == null || !json.path("ok").isBoolean()) {
            throw new IOException("the node's answer is not an admin answer: "
                    + new String(answer, StandardCharsets.UTF_8).strip());
        }
        if (!json.path("ok").asBoolean()) {
            throw new IllegalStateException(json.path("error").asText("the node refused the request"));
        }
        return json;
    }

    /** Whether a node answers on {@code socket}: it is running. */
    public static boolean answers(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] readAll(SocketChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer.clear()) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            if (out.size() > MAX_ANSWER_BYTES) {
                throw new IOException("the node's admin answer is larger than " + MAX_ANSWER_BYTES + " bytes");
            }
        }
        return out.toByteArray();
    }
}
