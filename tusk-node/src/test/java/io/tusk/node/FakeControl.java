package io.tusk.node;

import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.Event;
import io.tusk.control.api.EventPage;
import io.tusk.node.events.ControlSource;

import java.util.ArrayList;
import java.util.List;

/** An in-memory control plane for node tests: a committee and an event log that tests append to. */
final class FakeControl implements ControlSource {
    private final List<Event> log = new ArrayList<>();
    private CommitteeInfo committee;

    FakeControl(CommitteeInfo committee) {
        this.committee = committee;
    }

    synchronized void setCommittee(CommitteeInfo next) {
        committee = next;
    }

    synchronized long nextCursor() {
        return log.size();
    }

    synchronized void append(Event event) {
        if (event.cursor() != log.size()) {
            throw new IllegalArgumentException("event cursor " + event.cursor() + " != " + log.size());
        }
        log.add(event);
        notifyAll();
    }

    @Override
    public synchronized CommitteeInfo committee() {
        return committee;
    }

    @Override
    public synchronized EventPage events(long from, int limit, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (log.size() <= from) {
            long remaining = deadline - System.currentTimeMillis();
            if (remaining <= 0) {
                return new EventPage(List.of(), from);
            }
            wait(remaining);
        }
        int end = (int) Math.min(log.size(), from + limit);
        return new EventPage(List.copyOf(log.subList((int) from, end)), end);
    }
}
