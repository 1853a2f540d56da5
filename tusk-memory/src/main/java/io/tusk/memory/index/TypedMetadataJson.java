package io.tusk.memory.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Metadata as JSON that keeps each value's Java type: {@code {"key": ["i", 42]}}. Tags: {@code s} String,
 * {@code u} UUID, {@code b} Boolean, {@code i} Integer, {@code l} Long, {@code f} Float, {@code d} Double. Reals are
 * written as their shortest decimal text ({@link Float#toString}), which parses back to the same bits.
 */
public final class TypedMetadataJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TypedMetadataJson() {
    }

    public static ObjectNode toNode(Map<String, Object> metadata) {
        ObjectNode node = MAPPER.createObjectNode();
        metadata.forEach((key, value) -> {
            ArrayNode pair = node.putArray(key);
            switch (value) {
                case String s -> pair.add("s").add(s);
                case UUID u -> pair.add("u").add(u.toString());
                case Boolean b -> pair.add("b").add(b);
                case Integer i -> pair.add("i").add(i);
                case Long l -> pair.add("l").add(l);
                case Float f -> pair.add("f").add(Float.toString(f));
                case Double d -> pair.add("d").add(Double.toString(d));
                default -> throw new IllegalArgumentException("metadata '" + key + "' has unsupported type "
                        + value.getClass().getSimpleName());
            }
        });
        return node;
    }

    public static String toJson(Map<String, Object> metadata) {
        return toNode(metadata).toString();
    }

    public static Map<String, Object> fromNode(JsonNode node) {
        if (node == null || node.isNull() || node.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode pair = field.getValue();
            if (!pair.isArray() || pair.size() != 2) {
                throw new IllegalArgumentException("metadata '" + field.getKey() + "' is not a [type, value] pair");
            }
            JsonNode v = pair.get(1);
            Object value = switch (pair.get(0).asText()) {
                case "s" -> v.asText();
                case "u" -> UUID.fromString(v.asText());
                case "b" -> v.asBoolean();
                case "i" -> v.intValue();
                case "l" -> v.longValue();
                case "f" -> Float.parseFloat(v.asText());
                case "d" -> Double.parseDouble(v.asText());
                default -> throw new IllegalArgumentException(
                        "metadata '" + field.getKey() + "' has unknown type tag " + pair.get(0));
            };
            metadata.put(field.getKey(), value);
        }
        return java.util.Collections.unmodifiableMap(metadata);
    }

    public static Map<String, Object> fromJson(String json) {
        try {
            return fromNode(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
