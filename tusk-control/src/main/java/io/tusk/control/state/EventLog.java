package io.tusk.control.state;

import io.tusk.control.api.Event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The event log: every event since genesis, in order; an event's cursor is its position (dense, from 0). Not
 * thread-safe (the state's owner serializes access).
 */
final class EventLog {
    private final List<Event> events = new ArrayList<>();

    /** The cursor the next event gets. */
    long nextCursor() {
        return events.size();
    }

    void append(Event event) {
        if (event.cursor() != events.size()) {
            throw new IllegalStateException("event cursor " + event.cursor() + " is not the next cursor " + events.size());
        }
        events.add(event);
    }

    long count() {
        return events.size();
    }

    /** Up to {@code limit} events from cursor {@code from} on (empty if there are none yet). */
    List<Event> page(long from, int limit) {
        if (from < 0 || limit < 0) {
            throw new IllegalArgumentException("from and limit must not be negative, got " + from + ", " + limit);
        }
        if (from >= events.size()) {
            return List.of();
        }
        int start = (int) from;
        int end = (int) Math.min(events.size(), (long) start + limit);
        return Collections.unmodifiableList(new ArrayList<>(events.subList(start, end)));
    }

    List<Event> all() {
        return events;
    }
}
