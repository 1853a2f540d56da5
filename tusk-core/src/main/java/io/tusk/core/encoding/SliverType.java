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
