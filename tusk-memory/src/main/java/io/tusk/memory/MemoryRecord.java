package io.tusk.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tusk.memory.index.IndexedMemory;
import io.tusk.memory.index.TypedMetadataJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * One memory revision as stored in the space, at key {@code m/<id>}: JSON holding the text, typed metadata, the
 * embedding (little-endian float32, base64) and valid time. Holding the embedding makes the index rebuildable from
 * the space alone without re-embedding. Binary content, when present, is its own entry ({@code contentKey}).
 *
 * @param validTo null while the fact has no known end
 */
record MemoryRecord(String id, String text, Map<String, Object> metadata, float[] embedding, String contentHash,
                    long validFrom, Long validTo, String contentKey, String contentType, long contentSize) {

    static final int FORMAT = 1;
    static final String MEMORY_PREFIX = "m/";
    static final String CONTENT_PREFIX = "b/";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static String key(String id) {
        return MEMORY_PREFIX + id;
    }

    static String contentKey(String id) {
        return CONTENT_PREFIX + id;
    }

    /** The memory id of a space key, or null if the key is not a memory. */
    static String idOf(String key) {
        return key.startsWith(MEMORY_PREFIX) ? key.substring(MEMORY_PREFIX.length()) : null;
    }

    /** Hex SHA-256 over the text and the binary content: equal hashes are exact duplicates. */
    static String hash(String text, byte[] content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            if (text != null) {
                digest.update((byte) 't');
                digest.update(text.getBytes(StandardCharsets.UTF_8));
            }
            if (content != null) {
                digest.update((byte) 'b');
                digest.update(content);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    byte[] toBytes() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("format", FORMAT);
        node.put("id", id);
        if (text != null) {
            node.put("text", text);
        }
        if (!metadata.isEmpty()) {
            node.set("metadata", TypedMetadataJson.toNode(metadata));
        }
        node.put("embedding", encode(embedding));
        node.put("hash", contentHash);
        node.put("validFrom", validFrom);
        if (validTo != null) {
            node.put("validTo", validTo);
        }
        if (contentKey != null) {
            node.put("contentKey", contentKey);
            node.put("contentType", contentType);
            node.put("contentSize", contentSize);
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    static MemoryRecord fromBytes(String key, byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            int format = node.path("format").asInt(-1);
            if (format != FORMAT) {
                throw new IllegalArgumentException("memory entry " + key + " has format " + format + ", expected "
                        + FORMAT);
            }
            return new MemoryRecord(
                    node.get("id").asText(),
                    node.hasNonNull("text") ? node.get("text").asText() : null,
                    TypedMetadataJson.fromNode(node.get("metadata")),
                    decode(node.get("embedding").asText()),
                    node.path("hash").asText(null),
                    node.get("validFrom").asLong(),
                    node.hasNonNull("validTo") ? node.get("validTo").asLong() : null,
                    node.path("contentKey").asText(null),
                    node.path("contentType").asText(null),
                    node.path("contentSize").asLong(0));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("memory entry " + key + " is malformed: " + e.getMessage(), e);
        }
    }

    IndexedMemory toIndexed(long revision, Instant recordedAt) {
        return new IndexedMemory(id, revision, text, embedding, metadata, contentHash, validFrom,
                validTo == null ? IndexedMemory.OPEN : validTo, recordedAt.toEpochMilli());
    }

    static String encode(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    static float[] decode(String base64) {
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[buffer.remaining() / Float.BYTES];
        buffer.asFloatBuffer().get(vector);
        return vector;
    }
}
