package io.tusk.core.encoding;

/** Fewer distinct slivers (or symbols) than the code needs. */
public final class NotEnoughSliversException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int needed;
    private final int received;

    public NotEnoughSliversException(String what, int needed, int received) {
        super("need " + needed + " " + what + ", got " + received);
        this.needed = needed;
        this.received = received;
    }

    public int needed() {
        return needed;
    }

    public int received() {
        return received;
    }
}
