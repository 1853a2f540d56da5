package io.tusk.memory.index;

import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Translates a {@link MemoryFilter} into a Lucene query over the metadata fields {@link MemoryDocuments} writes: a
 * keyword field for strings and UUIDs, long points for integers, double points for reals, a keyword for booleans.
 * A numeric comparison asks both numeric fields, so {@code age > 1.5} finds an Integer 2 and a Double 1.7.
 */
final class LuceneFilters {

    private LuceneFilters() {
    }

    static Query toQuery(MemoryFilter filter) {
        return switch (filter) {
            case MemoryFilter.Compare c -> compare(c.key(), c.op(), c.value());
            case MemoryFilter.In in -> {
                BooleanQuery.Builder any = new BooleanQuery.Builder();
                for (Object value : in.values()) {
                    any.add(compare(in.key(), MemoryFilter.Op.EQ, value), Occur.SHOULD);
                }
                yield any.build();
            }
            case MemoryFilter.Contains c -> new WildcardQuery(
                    new Term(MemoryDocuments.keywordField(c.key()), "*" + escapeWildcards(c.part()) + "*"));
            case MemoryFilter.Exists e -> new TermQuery(new Term(MemoryDocuments.KEYS, e.key()));
            case MemoryFilter.And and -> new BooleanQuery.Builder()
                    .add(toQuery(and.left()), Occur.FILTER)
                    .add(toQuery(and.right()), Occur.FILTER)
                    .build();
            case MemoryFilter.Or or -> new BooleanQuery.Builder()
                    .add(toQuery(or.left()), Occur.SHOULD)
                    .add(toQuery(or.right()), Occur.SHOULD)
                    .build();
            case MemoryFilter.Not not -> new BooleanQuery.Builder()
                    .add(MatchAllDocsQuery.INSTANCE, Occur.FILTER)
                    .add(toQuery(not.filter()), Occur.MUST_NOT)
                    .build();
        };
    }

    private static Query compare(String key, MemoryFilter.Op op, Object value) {
        if (value instanceof Boolean b) {
            return new TermQuery(new Term(MemoryDocuments.booleanField(key), b.toString()));
        }
        if (value instanceof String || value instanceof java.util.UUID) {
            return keywordCompare(MemoryDocuments.keywordField(key), op, MetadataValues.keyword(value));
        }
        Query integral;
        Query real;
        if (MetadataValues.isIntegral(value)) {
            long v = ((Number) value).longValue();
            integral = longCompare(MemoryDocuments.integralField(key), op, v);
            real = doubleCompare(MemoryDocuments.realField(key), op, (double) v);
        } else {
            double v = ((Number) value).doubleValue();
            real = doubleCompare(MemoryDocuments.realField(key), op, v);
            integral = longCompareWithReal(MemoryDocuments.integralField(key), op, v);
        }
        return new BooleanQuery.Builder().add(integral, Occur.SHOULD).add(real, Occur.SHOULD).build();
    }

    private static Query keywordCompare(String field, MemoryFilter.Op op, String value) {
        BytesRef term = new BytesRef(value);
        return switch (op) {
            case EQ -> new TermQuery(new Term(field, term));
            case GT -> new TermRangeQuery(field, term, null, false, false);
            case GTE -> new TermRangeQuery(field, term, null, true, false);
            case LT -> new TermRangeQuery(field, null, term, false, false);
            case LTE -> new TermRangeQuery(field, null, term, false, true);
        };
    }

    private static Query longCompare(String field, MemoryFilter.Op op, long v) {
        return switch (op) {
            case EQ -> LongPoint.newExactQuery(field, v);
            case GT -> v == Long.MAX_VALUE ? MatchNoDocsQuery.INSTANCE : LongPoint.newRangeQuery(field, v + 1, Long.MAX_VALUE);
            case GTE -> LongPoint.newRangeQuery(field, v, Long.MAX_VALUE);
            case LT -> v == Long.MIN_VALUE ? MatchNoDocsQuery.INSTANCE : LongPoint.newRangeQuery(field, Long.MIN_VALUE, v - 1);
            case LTE -> LongPoint.newRangeQuery(field, Long.MIN_VALUE, v);
        };
    }

    /** Longs compared with a real bound: {@code x > 1.5} is {@code x >= 2}, {@code x == 1.5} matches nothing. */
    private static Query longCompareWithReal(String field, MemoryFilter.Op op, double v) {
        return switch (op) {
            case EQ -> v == Math.rint(v) && v >= Long.MIN_VALUE && v < 0x1p63
                    ? LongPoint.newExactQuery(field, (long) v) : MatchNoDocsQuery.INSTANCE;
            case GT -> lowerBound(field, Math.floor(v) + 1);
            case GTE -> lowerBound(field, Math.ceil(v));
            case LT -> upperBound(field, Math.ceil(v) - 1);
            case LTE -> upperBound(field, Math.floor(v));
        };
    }

    private static Query lowerBound(String field, double lowest) {
        if (lowest >= 0x1p63) {
            return MatchNoDocsQuery.INSTANCE;
        }
        return LongPoint.newRangeQuery(field, lowest <= -0x1p63 ? Long.MIN_VALUE : (long) lowest, Long.MAX_VALUE);
    }

    private static Query upperBound(String field, double highest) {
        if (highest < -0x1p63) {
            return MatchNoDocsQuery.INSTANCE;
        }
        return LongPoint.newRangeQuery(field, Long.MIN_VALUE, highest >= 0x1p63 ? Long.MAX_VALUE : (long) highest);
    }

    private static Query doubleCompare(String field, MemoryFilter.Op op, double v) {
        return switch (op) {
            case EQ -> DoublePoint.newExactQuery(field, v);
            case GT -> DoublePoint.newRangeQuery(field, Math.nextUp(v), Double.POSITIVE_INFINITY);
            case GTE -> DoublePoint.newRangeQuery(field, v, Double.POSITIVE_INFINITY);
            case LT -> DoublePoint.newRangeQuery(field, Double.NEGATIVE_INFINITY, Math.nextDown(v));
            case LTE -> DoublePoint.newRangeQuery(field, Double.NEGATIVE_INFINITY, v);
        };
    }

    private static String escapeWildcards(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
