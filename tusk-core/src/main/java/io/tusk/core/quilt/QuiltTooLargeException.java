package io.tusk.core.quilt;

/** The patches need a symbol size above the RS2 maximum (65534), or a quilt blob too large to hold in memory. */
public final class QuiltTooLargeException extends QuiltException {
    private final long symbolSize;

    public QuiltTooLargeException(String message, long symbolSize) {
        super(message);
        this.symbolSize = symbolSize;
    }

    /** The symbol size the patches would need. */
    public long symbolSize() {
        return symbolSize;
    }
}
