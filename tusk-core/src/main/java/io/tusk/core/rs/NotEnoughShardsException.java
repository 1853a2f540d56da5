package io.tusk.core.rs;

/** Thrown by {@link ReedSolomonCode#reconstruct} when fewer than k shards are present. */
public final class NotEnoughShardsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int needed;
    private final int received;

    public NotEnoughShardsException(int needed, int received) {
        super("need " + needed + " shards, got " + received);
        this.needed = needed;
        this.received = received;
    }

    /** The number of shards required (k). */
    public int needed() {
        return needed;
    }

    /** The number of shards that were present. */
    public int received() {
        return received;
    }
}
