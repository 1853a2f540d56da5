package io.tusk.memory.index;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Metadata filters written as JSON, in the operator syntax vector databases share (Pinecone, Chroma, MongoDB), so
 * HTTP callers need not learn a new one:
 * <pre>
 * {"city": "Oslo"}                                  equality
 * {"age": {"$gte": 18, "$lt": 65}}                  $eq $ne $gt $gte $lt $lte (several on one key: all hold)
 * {"tag": {"$in": ["a", "b"]}}                      $in $nin
 * {"note": {"$contains": "allerg"}}                 substring of a string value
 * {"source": {"$exists": true}}                     the key is present (false: absent)
 * {"$and": [f, f]}  {"$or": [f, f]}  {"$not": f}    combinations; several keys in one object: all hold
 * </pre>
 * Values are strings, booleans, integers and reals; {@code null}, arrays (outside {@code $in}) and objects are
 * refused with the key named. {@code $ne} and {@code $nin} match memories without the key, as {@link MemoryFilter}
 * says.
 */
public final class FilterJson {

    /** Nesting deeper than this is refused: a filter is a few conditions, not a program. */
    public static final int MAX_DEPTH = 16;
    /** Conditions (leaves) in one filter. */
    public static final int MAX_CONDITIONS = 256;

    private int conditions;

    private FilterJson() {
    }

    /**
     * Parses a filter; JSON {@code null} or an empty object is no filter.
     *
     * @return the filter, or null for none
     * @throws IllegalArgumentException naming the key or operator at fault
     */
    public static MemoryFilter parse(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode() || (json.isObject() && json.isEmpty())) {
            return null;
        }
        return new FilterJson().object(json, 0);
    }

    private MemoryFilter object(JsonNode json, int depth) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("a filter is a JSON object such as {\"city\": \"Oslo\"}, not " + json);
        }
        if (json.isEmpty()) {
            throw new IllegalArgumentException("an empty filter object inside $and/$or/$not matches nothing useful");
        }
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("the filter nests deeper than " + MAX_DEPTH + " levels");
        }
        List<MemoryFilter> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            parts.add(switch (key) {
                case "$and" -> combine(key, list(key, value, depth), true);
                case "$or" -> combine(key, list(key, value, depth), false);
                case "$not" -> new MemoryFilter.Not(object(value, depth + 1));
                default -> {
                    if (key.startsWith("$")) {
                        throw new IllegalArgumentException("unknown filter operator '" + key
                                + "' at the top level (use $and, $or, $not, or a metadata key)");
                    }
                    yield conditions(key, value);
                }
            });
        }
        return combine("filter", parts, true);
    }

    private List<MemoryFilter> list(String operator, JsonNode value, int depth) {
        if (!value.isArray() || value.isEmpty()) {
            throw new IllegalArgumentException(operator + " needs a non-empty array of filters");
        }
        List<MemoryFilter> parts = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            parts.add(object(item, depth + 1));
        }
        return parts;
    }

    private static MemoryFilter combine(String operator, List<MemoryFilter> parts, boolean and) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(operator + " has no conditions");
        }
        MemoryFilter out = parts.getFirst();
        for (int i = 1; i < parts.size(); i++) {
            out = and ? new MemoryFilter.And(out, parts.get(i)) : new MemoryFilter.Or(out, parts.get(i));
        }
        return out;
    }

    /** {@code "key": value} (equality) or {@code "key": {"$op": value, ...}} (all of them). */
    private MemoryFilter conditions(String key, JsonNode value) {
        if (!value.isObject()) {
            return leaf(MemoryFilter.eq(key, scalar(key, "$eq", value)));
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("metadata '" + key + "': an empty operator object");
        }
        List<MemoryFilter> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String op = field.getKey();
            JsonNode operand = field.getValue();
            parts.add(leaf(switch (op) {
                case "$eq" -> MemoryFilter.eq(key, scalar(key, op, operand));
                case "$ne" -> MemoryFilter.notEqual(key, scalar(key, op, operand));
                case "$gt" -> MemoryFilter.gt(key, scalar(key, op, operand));
                case "$gte" -> MemoryFilter.gte(key, scalar(key, op, operand));
                case "$lt" -> MemoryFilter.lt(key, scalar(key, op, operand));
                case "$lte" -> MemoryFilter.lte(key, scalar(key, op, operand));
                case "$in" -> MemoryFilter.in(key, scalars(key, op, operand));
                case "$nin" -> MemoryFilter.notIn(key, scalars(key, op, operand));
                case "$contains" -> {
                    if (!operand.isTextual()) {
                        throw new IllegalArgumentException("metadata '" + key + "': $contains needs a string");
                    }
                    yield new MemoryFilter.Contains(key, operand.asText());
                }
                case "$exists" -> {
                    if (!operand.isBoolean()) {
                        throw new IllegalArgumentException("metadata '" + key + "': $exists needs true or false");
                    }
                    MemoryFilter exists = new MemoryFilter.Exists(key);
                    yield operand.asBoolean() ? exists : new MemoryFilter.Not(exists);
                }
                default -> throw new IllegalArgumentException("metadata '" + key + "': unknown operator '" + op
                        + "' (use $eq $ne $gt $gte $lt $lte $in $nin $contains $exists)");
            }));
        }
        return combine(key, parts, true);
    }

    private MemoryFilter leaf(MemoryFilter filter) {
        if (++conditions > MAX_CONDITIONS) {
            throw new IllegalArgumentException("the filter has more than " + MAX_CONDITIONS + " conditions");
        }
        return filter;
    }

    private static List<Object> scalars(String key, String op, JsonNode operand) {
        if (!operand.isArray() || operand.isEmpty()) {
            throw new IllegalArgumentException("metadata '" + key + "': " + op + " needs a non-empty array of values");
        }
        if (operand.size() > MAX_CONDITIONS) {
            throw new IllegalArgumentException("metadata '" + key + "': " + op + " has more than " + MAX_CONDITIONS
                    + " values");
        }
        List<Object> values = new ArrayList<>(operand.size());
        for (JsonNode item : operand) {
            values.add(scalar(key, op, item));
        }
        return values;
    }

    /** A JSON scalar as a metadata value: text, boolean, Long or Double. */
    private static Object scalar(String key, String op, JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isIntegralNumber()) {
            if (!value.canConvertToLong()) {
                throw new IllegalArgumentException("metadata '" + key + "': " + op + " value " + value
                        + " does not fit in 64 bits");
            }
            return value.asLong();
        }
        if (value.isNumber()) {
            double d = value.asDouble();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("metadata '" + key + "': " + op + " value " + value
                        + " is not a finite number");
            }
            return d;
        }
        throw new IllegalArgumentException("metadata '" + key + "': " + op + " needs a string, number or boolean, not "
                + (value.isNull() ? "null" : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
    }
}
