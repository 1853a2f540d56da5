package io.tusk.memory.springai;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Spring AI document metadata as memory metadata: scalars kept with their types, anything else refused. */
final class SpringAiMetadata {

    private SpringAiMetadata() {
    }

    static Map<String, Object> toMemory(Map<String, Object> metadata) {
        Map<String, Object> typed = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            if (value != null) {
                typed.put(key, scalar("metadata '" + key + "'", value));
            }
        });
        return typed;
    }

    static Object scalar(String what, Object value) {
        return switch (value) {
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case Short s -> (int) s;
            case Byte b -> (int) b;
            case Float f -> f;
            case Double d -> d;
            case BigInteger b when b.bitLength() < 64 -> b.longValue();
            case BigDecimal d -> d.doubleValue();
            case UUID u -> u;
            default -> throw new IllegalArgumentException(what + " has type " + value.getClass().getSimpleName()
                    + "; use a string, number, boolean or UUID");
        };
    }
}
