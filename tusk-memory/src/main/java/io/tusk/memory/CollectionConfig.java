package io.tusk.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.memory.embedding.EmbeddingSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The entry {@code _memory/config} of a memory space: the embedding model and dimension the collection is fixed to,
 * written by the first client and checked by every later one.
 */
record CollectionConfig(EmbeddingSpec spec) {

    static final String KEY = "_memory/config";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    byte[] toBytes() {
        return MAPPER.createObjectNode()
                .put("format", 1)
                .put("model", spec.model())
                .put("dimension", spec.dimension())
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    static CollectionConfig fromBytes(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            return new CollectionConfig(new EmbeddingSpec(node.get("model").asText(), node.get("dimension").asInt()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("memory collection config " + KEY + " is malformed: "
                    + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }
}
