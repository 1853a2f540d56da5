package io.tusk.control.state;

/**
 * Events from a cursor this replica no longer keeps were asked for. A follower this far behind catches up from the
 * state instead (docs/network.md, "Catching up"): it reads what it needs from the queries, then follows the events
 * from {@link #firstRetained()}, or from the cursor it noted before reading.
 */
public final class EventsPrunedException extends IllegalArgumentException {
    private final long requested;
    private final long firstRetained;

    public EventsPrunedException(long requested, long firstRetained) {
        super("events before cursor " + firstRetained + " are no longer kept (asked for " + requested
                + "); catch up from the state, then follow events from " + firstRetained);
        this.requested = requested;
        this.firstRetained = firstRetained;
    }

    public long requested() {
        return requested;
    }

    public long firstRetained() {
        return firstRetained;
    }
}
