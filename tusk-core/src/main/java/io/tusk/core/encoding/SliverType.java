package io.tusk.core.encoding;

/**
 * The two axes of RS2: a primary sliver is a row of the expanded matrix ({@code s} symbols), a secondary sliver a
 * column ({@code p} symbols). Names match Walrus's {@code primary} / {@code secondary} path segments and BCS tags.
 */
public enum SliverType {
    PRIMARY, SECONDARY;

    /** The BCS enum tag: 0 for primary, 1 for secondary. */
    public int tag() {
        return ordinal();
    }

    public SliverType orthogonal() {
        return this == PRIMARY ? SECONDARY : PRIMARY;
    }

    /**
     * The index of this type's sliver in sliver pair {@code pairIndex} of {@code shardCount} shards: pair {@code q}
     * holds primary sliver {@code q} and secondary sliver {@code n - 1 - q} (walrus-protocol.md, "sliver pair").
     *
     * @throws IndexOutOfBoundsException if {@code pairIndex} is not in {@code [0, shardCount)}
     */
    public int sliverIndex(int pairIndex, int shardCount) {
        java.util.Objects.checkIndex(pairIndex, shardCount);
        return this == PRIMARY ? pairIndex : shardCount - 1 - pairIndex;
    }

    /**
     * The sliver pair that holds this type's sliver {@code sliverIndex}: the inverse of {@link #sliverIndex}.
     *
     * @throws IndexOutOfBoundsException if {@code sliverIndex} is not in {@code [0, shardCount)}
     */
    public int pairIndex(int sliverIndex, int shardCount) {
        java.util.Objects.checkIndex(sliverIndex, shardCount);
        return this == PRIMARY ? sliverIndex : shardCount - 1 - sliverIndex;
    }

    /** The lowercase name Walrus uses in paths and JSON. */
    public String wireName() {
        return this == PRIMARY ? "primary" : "secondary";
    }

    public static SliverType fromTag(int tag) {
        return switch (tag) {
            case 0 -> PRIMARY;
            case 1 -> SECONDARY;
            default -> throw new IllegalArgumentException("sliver type tag must be 0 or 1, got " + tag);
        };
    }

    public static SliverType fromWireName(String name) {
        return switch (name) {
            case "primary" -> PRIMARY;
            case "secondary" -> SECONDARY;
            default -> throw new IllegalArgumentException("sliver type must be 'primary' or 'secondary', got '" + name + "'");
        };
    }
}
