package io.tusk.memory.index;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The value types a memory's metadata may hold, and their checks. Types are kept exactly (an {@code Integer} comes
 * back an {@code Integer}, a {@code Float} a {@code Float}), because LangChain4j and Spring AI callers read them back
 * typed. Numbers compare across types by value ({@code 1 == 1L == 1.0f}), as LangChain4j's filters do.
 */
public final class MetadataValues {

    /** Keys: what a JSON object key, a Lucene field name and a filter expression can all carry unescaped. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:\\-]{1,128}");

    /** Limits, so one memory cannot make the index or a manifest entry unbounded. */
    public static final int MAX_ENTRIES = 64;
    public static final int MAX_STRING_BYTES = 4096;

    private MetadataValues() {
    }

    /**
     * Checks a metadata map and returns an unmodifiable copy in key order of insertion.
     *
     * @throws IllegalArgumentException naming the key at fault
     */
    public static Map<String, Object> checked(Map<String, ?> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        if (metadata.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(
                    "metadata has " + metadata.size() + " entries; at most " + MAX_ENTRIES + " are allowed");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : metadata.entrySet()) {
            String key = checkKey(entry.getKey());
            copy.put(key, checkValue(key, entry.getValue()));
        }
        return java.util.Collections.unmodifiableMap(copy);
    }

    public static String checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("metadata key " + (key == null ? "null" : "'" + key + "'")
                    + " is invalid: use 1-128 of A-Z a-z 0-9 _ . : -");
        }
        return key;
    }

    /** Accepts String, UUID, Boolean, Integer, Long, Float and Double (finite); anything else is refused. */
    public static Object checkValue(String key, Object value) {
        Objects.requireNonNull(value, () -> "metadata '" + key + "' is null");
        return switch (value) {
            case String s -> {
                if (s.length() > MAX_STRING_BYTES
                        || s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
                    throw new IllegalArgumentException(
                            "metadata '" + key + "' is longer than " + MAX_STRING_BYTES + " bytes");
                }
                yield s;
            }
            case UUID u -> u;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case Float f when Float.isFinite(f) -> f;
            case Double d when Double.isFinite(d) -> d;
            case Float f -> throw new IllegalArgumentException("metadata '" + key + "' is " + f);
            case Double d -> throw new IllegalArgumentException("metadata '" + key + "' is " + d);
            default -> throw new IllegalArgumentException("metadata '" + key + "' has unsupported type "
                    + value.getClass().getSimpleName()
                    + "; use String, UUID, Boolean, Integer, Long, Float or Double");
        };
    }

    /** Integers and longs: compared exactly through the index's long points. */
    static boolean isIntegral(Object value) {
        return value instanceof Integer || value instanceof Long;
    }

    /** Floats and doubles: compared through the index's double points (a float widened exactly). */
    static boolean isReal(Object value) {
        return value instanceof Float || value instanceof Double;
    }

    /** The keyword form of strings and UUIDs (UUIDs by their canonical text, so {@code isEqualTo(uuid)} works). */
    static String keyword(Object value) {
        return value instanceof UUID u ? u.toString() : (String) value;
    }
}
