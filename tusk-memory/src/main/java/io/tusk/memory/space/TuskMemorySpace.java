package io.tusk.memory.space;

import io.tusk.spaces.CommitOptions;
import io.tusk.spaces.CommitResult;
import io.tusk.spaces.Entry;
import io.tusk.spaces.EntryNotFoundException;
import io.tusk.spaces.PutOptions;
import io.tusk.spaces.Snapshot;
import io.tusk.spaces.Space;
import io.tusk.spaces.SpaceKeyException;
import io.tusk.spaces.Spaces;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A memory collection's space on a Tusk network, through the spaces SDK: commits are space versions (compare-and-swap
 * on the head, re-applied on conflict by the SDK), reads are at the head, history comes from per-version diffs.
 */
public final class TuskMemorySpace implements MemorySpace {

    private final Space space;

    public TuskMemorySpace(Space space) {
        this.space = Objects.requireNonNull(space, "space");
    }

    /** Opens the account's space {@code name}, creating it (encrypted if asked) on first use. */
    public static TuskMemorySpace openOrCreate(Spaces spaces, String name, boolean encrypted) {
        Optional<Space> existing = spaces.find(spaces.account(), name);
        if (existing.isPresent()) {
            return new TuskMemorySpace(existing.get());
        }
        try {
            return new TuskMemorySpace(spaces.create(name, encrypted));
        } catch (io.tusk.spaces.SpaceExistsException raced) {
            return new TuskMemorySpace(spaces.open(name));
        }
    }

    public Space space() {
        return space;
    }

    @Override
    public String name() {
        return space.name();
    }

    @Override
    public boolean encrypted() {
        return space.encrypted();
    }

    @Override
    public long headVersion() {
        return space.head().version();
    }

    @Override
    public Committed commit(List<Change> changes) {
        if (changes.isEmpty()) {
            Snapshot head = space.snapshot();
            return new Committed(head.version(), head.commitTime());
        }
        // Small commits (a remember or two) ride on the control plane as inline versions: one command instead of
        // three blobs (docs/spaces.md, "Inline versions"); larger batches store blobs as before.
        CommitResult result = space.commit(tx -> {
            for (MemorySpace.Change change : changes) {
                switch (change) {
                    case Put put -> tx.put(put.key(), put.data(), PutOptions.defaults().withMetadata(put.metadata()));
                    case Delete delete -> tx.delete(delete.key());
                }
            }
        }, CommitOptions.defaults().inlineWhenSmall());
        return new Committed(result.version(), result.commitTime());
    }

    @Override
    public Committed forget(List<String> keys) {
        // The SDK forgets one key per commit (it destroys that key's data keys); absent keys commit nothing.
        CommitResult last = null;
        for (String key : keys) {
            CommitResult result = space.forget(key);
            if (result.changed() > 0 || last == null) {
                last = result;
            }
        }
        if (last == null) {
            Snapshot head = space.snapshot();
            return new Committed(head.version(), head.commitTime());
        }
        return new Committed(last.version(), last.commitTime());
    }

    @Override
    public Optional<byte[]> read(String key) {
        return read(space.snapshot(), key);
    }

    private static Optional<byte[]> read(Snapshot snapshot, String key) {
        try {
            return snapshot.entry(key).isPresent() ? Optional.of(snapshot.read(key)) : Optional.empty();
        } catch (EntryNotFoundException | SpaceKeyException gone) {
            // Forgotten in an encrypted space: its data key is destroyed, so it reads as absent.
            return Optional.empty();
        }
    }

    @Override
    public List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        for (Entry entry : space.snapshot().entries(prefix)) {
            keys.add(entry.key());
        }
        return keys;
    }

    @Override
    public List<VersionChanges> changesSince(long afterVersion, int limit) {
        long head = space.head().version();
        List<VersionChanges> versions = new ArrayList<>();
        for (long v = afterVersion + 1; v <= head && versions.size() < limit; v++) {
            Snapshot at = space.at(v);
            Map<String, byte[]> puts = new LinkedHashMap<>();
            List<String> deletes = new ArrayList<>();
            for (io.tusk.spaces.Change change : space.diff(v - 1, v)) {
                if (change.after() == null) {
                    deletes.add(change.key());
                } else {
                    Optional<byte[]> bytes = read(at, change.key());
                    if (bytes.isPresent()) {
                        puts.put(change.key(), bytes.get());
                    } else {
                        deletes.add(change.key());
                    }
                }
            }
            versions.add(new VersionChanges(v, at.commitTime(), puts, deletes));
        }
        return versions;
    }

    @Override
    public java.time.Instant commitTime(long version) {
        if (version < 1 || version > space.head().version()) {
            throw new IllegalArgumentException("space " + space.name() + " has no version " + version);
        }
        return space.at(version).commitTime(); // one manifest, not the version's entries
    }

    @Override
    public void close() {
    }
}
