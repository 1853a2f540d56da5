package io.tusk.memory.langchain4j;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import io.tusk.memory.index.MemoryFilter;
import java.util.List;

/** LangChain4j's metadata {@link Filter} as Tusk's {@link MemoryFilter} (same meaning, evaluated in the index). */
final class LangChainFilters {

    private LangChainFilters() {
    }

    static MemoryFilter toMemoryFilter(Filter filter) {
        return switch (filter) {
            case null -> null;
            case IsEqualTo f -> MemoryFilter.eq(f.key(), f.comparisonValue());
            case IsNotEqualTo f -> MemoryFilter.notEqual(f.key(), f.comparisonValue());
            case IsGreaterThan f -> MemoryFilter.gt(f.key(), f.comparisonValue());
            case IsGreaterThanOrEqualTo f -> MemoryFilter.gte(f.key(), f.comparisonValue());
            case IsLessThan f -> MemoryFilter.lt(f.key(), f.comparisonValue());
            case IsLessThanOrEqualTo f -> MemoryFilter.lte(f.key(), f.comparisonValue());
            case IsIn f -> MemoryFilter.in(f.key(), List.copyOf(f.comparisonValues()));
            case IsNotIn f -> MemoryFilter.notIn(f.key(), List.copyOf(f.comparisonValues()));
            case ContainsString f -> new MemoryFilter.Contains(f.key(), f.comparisonValue());
            case And f -> MemoryFilter.and(toMemoryFilter(f.left()), toMemoryFilter(f.right()));
            case Or f -> MemoryFilter.or(toMemoryFilter(f.left()), toMemoryFilter(f.right()));
            case Not f -> MemoryFilter.not(toMemoryFilter(f.expression()));
            default -> throw new UnsupportedOperationException(
                    "LangChain4j filter " + filter.getClass().getName() + " is not supported");
        };
    }
}
