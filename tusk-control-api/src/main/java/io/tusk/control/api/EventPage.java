package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/** A page of the event stream: events from the requested cursor on, and the cursor to ask for next. */
public record EventPage(List<Event> events, long next) {
    public EventPage {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
    }
}
