package io.tusk.memory.springai;

import io.tusk.memory.index.MemoryFilter;
import java.util.List;
import org.springframework.ai.vectorstore.filter.Filter;

/** Spring AI's portable filter expressions as Tusk's {@link MemoryFilter}, evaluated in the index. */
final class SpringAiFilters {

    private SpringAiFilters() {
    }

    static MemoryFilter toMemoryFilter(Filter.Expression expression) {
        if (expression == null) {
            return null;
        }
        return switch (expression.type()) {
            case AND -> MemoryFilter.and(operand(expression.left()), operand(expression.right()));
            case OR -> MemoryFilter.or(operand(expression.left()), operand(expression.right()));
            case NOT -> MemoryFilter.not(operand(expression.left()));
            case EQ -> MemoryFilter.eq(key(expression), value(expression));
            case NE -> MemoryFilter.notEqual(key(expression), value(expression));
            case GT -> MemoryFilter.gt(key(expression), value(expression));
            case GTE -> MemoryFilter.gte(key(expression), value(expression));
            case LT -> MemoryFilter.lt(key(expression), value(expression));
            case LTE -> MemoryFilter.lte(key(expression), value(expression));
            case IN -> MemoryFilter.in(key(expression), values(expression));
            case NIN -> MemoryFilter.notIn(key(expression), values(expression));
            case ISNULL -> MemoryFilter.not(new MemoryFilter.Exists(key(expression)));
            case ISNOTNULL -> new MemoryFilter.Exists(key(expression));
        };
    }

    private static MemoryFilter operand(Filter.Operand operand) {
        return switch (operand) {
            case Filter.Expression e -> toMemoryFilter(e);
            case Filter.Group g -> toMemoryFilter(g.content());
            default -> throw new IllegalArgumentException("filter operand " + operand + " is not an expression");
        };
    }

    private static String key(Filter.Expression expression) {
        if (!(expression.left() instanceof Filter.Key key)) {
            throw new IllegalArgumentException("filter " + expression + " needs a metadata key on its left");
        }
        // The text parser keeps quotes around keys written as 'my key'.
        return key.key().replaceAll("^[\"']|[\"']$", "");
    }

    private static Object value(Filter.Expression expression) {
        if (!(expression.right() instanceof Filter.Value value) || value.value() instanceof List<?>) {
            throw new IllegalArgumentException("filter " + expression + " needs one value on its right");
        }
        return SpringAiMetadata.scalar("filter value", value.value());
    }

    private static List<Object> values(Filter.Expression expression) {
        if (!(expression.right() instanceof Filter.Value value) || !(value.value() instanceof List<?> list)) {
            throw new IllegalArgumentException("filter " + expression + " needs a list of values on its right");
        }
        return list.stream().map(v -> SpringAiMetadata.scalar("filter value", v)).toList();
    }
}
