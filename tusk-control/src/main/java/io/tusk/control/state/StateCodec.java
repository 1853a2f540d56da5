package io.tusk.control.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.Event;
import io.tusk.control.state.StateSnapshot.InvalidBlobEntry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The state-codec concern: the whole {@link ControlState} as a {@link StateSnapshot} and as bytes (UTF-8 JSON, every
 * collection sorted by key, so equal states give identical bytes), and back.
 */
final class StateCodec {
    private StateCodec() {}

    static StateSnapshot toSnapshot(ControlState state) {
        List<InvalidBlobEntry> invalid = new ArrayList<>();
        state.blobs.invalidBlobIds().forEach((id, cursor) -> invalid.add(new InvalidBlobEntry(id, cursor)));
        Committees c = state.committees;
        return new StateSnapshot(StateSnapshot.VERSION, state.genesisConfig(), state.lastIndex(), c.epoch(),
                c.epochStartMillis(), new ArrayList<>(state.accounts.all()), new ArrayList<>(c.nodes()), c.committee(),
                c.previousCommittee().orElse(null), c.epochChangeDone(), new ArrayList<>(c.syncedNodes()),
                new ArrayList<>(state.blobs.all()), invalid, new ArrayList<>(state.spaces.all()), new ArrayList<>(state.buckets.all()), state.events.all(),
                new ArrayList<>(state.accounts.outcomes()));
    }

    static byte[] encode(ControlState state) {
        try {
            return ControlJson.mapper().writeValueAsBytes(toSnapshot(state));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the control state", e);
        }
    }

    /** @throws IllegalArgumentException if the bytes are not a snapshot of this version */
    static ControlState decode(byte[] bytes) {
        StateSnapshot s;
        try {
            s = ControlJson.mapper().readValue(bytes, StateSnapshot.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a control-state snapshot: " + Text.firstLine(e.getMessage()), e);
        }
        if (s.version() != StateSnapshot.VERSION) {
            throw new IllegalArgumentException("snapshot version " + s.version() + " is not " + StateSnapshot.VERSION);
        }
        ControlState state = new ControlState(s.genesis());
        state.restoreLastIndex(s.lastIndex());
        s.accounts().forEach(state.accounts::put);
        s.outcomes().forEach(state.accounts::recordOutcome);
        state.committees.restore(s.epoch(), s.epochStartMillis(), s.nodes(), s.committee(), s.previousCommittee(),
                s.epochChangeDone(), s.syncedNodes());
        TreeMap<String, Long> invalid = new TreeMap<>();
        s.invalidBlobIds().forEach(i -> invalid.put(i.blobId(), i.cursor()));
        state.blobs.restore(s.blobs(), invalid);
        state.spaces.restore(s.spaces());
        state.buckets.restore(s.buckets());
        List<Event> events = s.events();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).cursor() != i) {
                throw new IllegalArgumentException("snapshot event " + i + " has cursor " + events.get(i).cursor());
            }
            state.events.append(events.get(i));
        }
        return state;
    }
}
