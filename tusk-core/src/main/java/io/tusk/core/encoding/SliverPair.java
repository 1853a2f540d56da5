package io.tusk.core.encoding;

/** Pair {@code q}: primary sliver {@code q} and secondary sliver {@code n-1-q}, stored together on one shard. */
public record SliverPair(int pairIndex, Sliver primary, Sliver secondary) {
    public SliverPair {
        if (primary.type() != SliverType.PRIMARY || secondary.type() != SliverType.SECONDARY) {
            throw new IllegalArgumentException("a sliver pair needs a primary and a secondary sliver");
        }
        if (primary.index() != pairIndex) {
            throw new IllegalArgumentException("pair " + pairIndex + " holds primary sliver " + pairIndex + ", got " + primary.index());
        }
    }

    public Sliver sliver(SliverType type) {
        return type == SliverType.PRIMARY ? primary : secondary;
    }
}
