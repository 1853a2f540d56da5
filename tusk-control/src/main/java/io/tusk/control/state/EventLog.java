package io.tusk.control.state;

import io.tusk.control.api.Event;
import io.tusk.control.state.StateCodec.Codec;

import java.util.ArrayList;
import java.util.List;

/**
 * The event log, in the state's {@code events} family: an event's cursor is its position since genesis (dense, from
 * 0), its key the cursor as 8 big-endian bytes. Events are written in their command's batch and become visible with
 * it ({@link #publish}). A replica keeps the latest {@link StateOptions#retainedEvents()}; older ones are deleted in
 * chunks (one range delete per chunk, not per event).
 *
 * <p>{@link #page} and {@link #count} are thread-safe and take no lock: they read only published events, which never
 * change. Appending happens on the applying thread.
 */
final class EventLog {
    private static final Codec<Event> JSON = StateCodec.json(Event.class);

    private final StateView view;
    private final Meta meta;
    private final long retained;
    private final long pruneChunk;
    /** Events visible to readers; published after their batch is written. */
    private volatile long committedCount;
    /** The first event still kept; below it, events were pruned. */
    private volatile long firstRetained;
    /** The next cursor while an entry is applied (the events of its commands so far counted). */
    private long pendingCount;
    /** {@link #pendingCount} when the entry's current command started ({@link #mark}). */
    private long markedCount;
    /** The first kept event once the applied command's batch is written, if it prunes; -1 otherwise. */
    private long pendingFirst = -1;
    /**
     * The events appended while an entry is applied, from cursor {@link #committedCount} on: a command retried in the
     * same entry as its original is answered with them before the entry's batch is written ({@link #eventsOf}).
     */
    private final List<Event> pendingEvents = new ArrayList<>();

    EventLog(StateView view, Meta meta, long retained) {
        this.view = view;
        this.meta = meta;
        this.retained = retained;
        // Prune in chunks of about a sixteenth of what is kept (at most 10,000 events): a range delete per command
        // would leave one range tombstone per command for reads and compactions to skip.
        this.pruneChunk = Math.max(1, Math.min(10_000, retained / 16));
    }

    /** Loads the counters of an existing state (committed data; called at open). */
    void load() {
        committedCount = meta.getLong(Meta.EVENT_COUNT, 0);
        firstRetained = meta.getLong(Meta.FIRST_EVENT, 0);
        pendingCount = committedCount;
        pendingEvents.clear();
    }

    /** The cursor the next event gets. */
    long nextCursor() {
        return pendingCount;
    }

    void append(Event event) {
        if (event.cursor() != pendingCount) {
            throw new IllegalStateException("event cursor " + event.cursor() + " is not the next cursor " + pendingCount);
        }
        view.batch().putEvent(StateCodec.u64(event.cursor()), JSON.encode(event));
        pendingEvents.add(event);
        pendingCount++;
    }

    /** The entry's next command starts here. */
    void mark() {
        markedCount = pendingCount;
    }

    /** The entry's current command was refused: forget its events, keep those of the commands before it. */
    void undoToMark() {
        pendingCount = markedCount;
        pendingEvents.subList((int) (markedCount - committedCount), pendingEvents.size()).clear();
    }

    /** Writes the counters into the entry's batch (and prunes), if its commands emitted events. */
    void prepareCommit() {
        if (pendingCount == committedCount) {
            return;
        }
        meta.putLong(Meta.EVENT_COUNT, pendingCount);
        if (pendingCount - firstRetained - pruneChunk >= retained) { // (retained + pruneChunk could overflow)
            long newFirst = pendingCount - retained;
            view.batch().deleteEvents(StateCodec.u64(firstRetained), StateCodec.u64(newFirst));
            meta.putLong(Meta.FIRST_EVENT, newFirst);
            pendingFirst = newFirst;
        }
    }

    /** The command's batch is written: its events are visible. */
    void publish() {
        if (pendingFirst >= 0) {
            firstRetained = pendingFirst;
            pendingFirst = -1;
        }
        committedCount = pendingCount;
        pendingEvents.clear();
    }

    /** The command was refused or failed: forget its events. */
    void rollback() {
        pendingCount = committedCount;
        pendingFirst = -1;
        pendingEvents.clear();
    }

    /** Events published so far; the next event's cursor. */
    long count() {
        return committedCount;
    }

    long firstRetained() {
        return firstRetained;
    }

    /**
     * The {@code count} events from cursor {@code from} on, published or appended by an earlier command of the entry
     * being applied (one command's events are all one or all the other).
     *
     * @throws EventsPrunedException if {@code from} is below the first event this replica keeps
     */
    List<Event> eventsOf(long from, int count) {
        if (from >= committedCount) {
            int start = (int) (from - committedCount);
            return List.copyOf(pendingEvents.subList(start, Math.min(pendingEvents.size(), start + count)));
        }
        return page(from, count);
    }

    /**
     * Up to {@code limit} published events from cursor {@code from} on (empty if there are none yet).
     *
     * @throws EventsPrunedException if {@code from} is below the first event this replica keeps
     */
    List<Event> page(long from, int limit) {
        if (from < 0 || limit < 0) {
            throw new IllegalArgumentException("from and limit must not be negative, got " + from + ", " + limit);
        }
        long end = committedCount;
        long first = firstRetained;
        if (from < first) {
            throw new EventsPrunedException(from, first);
        }
        List<Event> out = new ArrayList<>((int) Math.min(limit, Math.max(0, end - from)));
        if (from >= end || limit == 0) {
            return out;
        }
        view.store().scanEvents(StateCodec.u64(from), (key, value) -> {
            Event event = JSON.decode(value);
            if (event.cursor() >= end) {
                return false;
            }
            out.add(event);
            return out.size() < limit;
        });
        if (out.isEmpty() || out.getFirst().cursor() != from) {
            // pruned between the check above and the read: never hand out a page with a gap at its start
            throw new EventsPrunedException(from, firstRetained);
        }
        return out;
    }
}
