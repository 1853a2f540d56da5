package io.tusk.memory.index;

import java.util.List;
import java.util.Objects;

/**
 * A condition on a memory's metadata. A key that a memory lacks never satisfies a comparison, so {@code not(eq)} and
 * {@link #notEqual} match memories without the key (LangChain4j's and Spring AI's meaning). Numbers compare by value
 * across Integer, Long, Float and Double; strings compare by code point order.
 */
public sealed interface MemoryFilter {

    /** The operators of a comparison. */
    enum Op { EQ, GT, GTE, LT, LTE }

    record Compare(String key, Op op, Object value) implements MemoryFilter {
        public Compare {
            MetadataValues.checkKey(key);
            Objects.requireNonNull(op, "op");
            MetadataValues.checkValue(key, value);
            if (value instanceof Boolean && op != Op.EQ) {
                throw new IllegalArgumentException("metadata '" + key + "': booleans only compare with equality");
            }
        }
    }

    /** The key holds one of the values. */
    record In(String key, List<Object> values) implements MemoryFilter {
        public In {
            MetadataValues.checkKey(key);
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("metadata '" + key + "': 'in' needs at least one value");
            }
            values = List.copyOf(values);
            values.forEach(v -> MetadataValues.checkValue(key, v));
        }
    }

    /** The key holds a string containing {@code part}. */
    record Contains(String key, String part) implements MemoryFilter {
        public Contains {
            MetadataValues.checkKey(key);
            Objects.requireNonNull(part, "part");
        }
    }

    /** The memory has the key, with any value. */
    record Exists(String key) implements MemoryFilter {
        public Exists {
            MetadataValues.checkKey(key);
        }
    }

    record And(MemoryFilter left, MemoryFilter right) implements MemoryFilter {
        public And {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    record Or(MemoryFilter left, MemoryFilter right) implements MemoryFilter {
        public Or {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    record Not(MemoryFilter filter) implements MemoryFilter {
        public Not {
            Objects.requireNonNull(filter, "filter");
        }
    }

    static MemoryFilter eq(String key, Object value) {
        return new Compare(key, Op.EQ, value);
    }

    static MemoryFilter notEqual(String key, Object value) {
        return new Not(eq(key, value));
    }

    static MemoryFilter gt(String key, Object value) {
        return new Compare(key, Op.GT, value);
    }

    static MemoryFilter gte(String key, Object value) {
        return new Compare(key, Op.GTE, value);
    }

    static MemoryFilter lt(String key, Object value) {
        return new Compare(key, Op.LT, value);
    }

    static MemoryFilter lte(String key, Object value) {
        return new Compare(key, Op.LTE, value);
    }

    static MemoryFilter in(String key, List<?> values) {
        return new In(key, List.copyOf(values));
    }

    static MemoryFilter notIn(String key, List<?> values) {
        return new Not(in(key, values));
    }

    static MemoryFilter and(MemoryFilter left, MemoryFilter right) {
        return new And(left, right);
    }

    static MemoryFilter or(MemoryFilter left, MemoryFilter right) {
        return new Or(left, right);
    }

    static MemoryFilter not(MemoryFilter filter) {
        return new Not(filter);
    }
}
