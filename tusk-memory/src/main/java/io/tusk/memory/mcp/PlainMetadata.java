package io.tusk.memory.mcp;

import io.tusk.memory.index.MetadataValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metadata as plain JSON values (what MCP clients, HTTP callers and the CLI send): strings, booleans, integers
 * (Long) and reals (Double); nested objects and arrays are refused with the key named.
 */
public final class PlainMetadata {

    private PlainMetadata() {
    }

    public static Map<String, Object> fromJsonValues(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("metadata must be a JSON object, not " + value.getClass().getSimpleName());
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object v = entry.getValue();
            Object typed = switch (v) {
                case String s -> s;
                case Boolean b -> b;
                case Integer i -> (long) i;
                case Long l -> l;
                case BigInteger b when b.bitLength() < 64 -> b.longValue();
                case Float f -> (double) f;
                case Double d -> d;
                case BigDecimal d -> d.doubleValue();
                case null -> throw new IllegalArgumentException("metadata '" + key + "' is null");
                default -> throw new IllegalArgumentException("metadata '" + key
                        + "' must be a string, number or boolean, not " + v.getClass().getSimpleName());
            };
            metadata.put(key, typed);
        }
        return MetadataValues.checked(metadata);
    }

    /** Typed metadata as plain JSON values (UUIDs as text, floats widened). */
    public static Map<String, Object> toJsonValues(Map<String, Object> metadata) {
        Map<String, Object> plain = new LinkedHashMap<>();
        metadata.forEach((key, value) -> plain.put(key, value instanceof java.util.UUID u ? u.toString() : value));
        return plain;
    }
}
