package io.tusk.memory;

import io.tusk.memory.space.MemorySpace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A space kept in this process, for tests of the memory layer alone: versions, commit times, a head, history and
 * forgetting behave as the spaces SDK promises (the scenario tests run on real spaces over a cluster). Forgotten
 * keys' bytes vanish from every version, as an encrypted space's destroyed data keys make them unreadable.
 */
public final class InMemorySpace implements MemorySpace {

    private final String name;
    private final boolean encrypted;
    private final TreeMap<String, byte[]> head = new TreeMap<>();
    private final List<VersionChanges> versions = new ArrayList<>();
    private final Set<String> forgotten = new HashSet<>();
    private long lastCommitMillis;
    private final List<Long> replayedFrom = new ArrayList<>();

    public InMemorySpace(String name, boolean encrypted) {
        this.name = name;
        this.encrypted = encrypted;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean encrypted() {
        return encrypted;
    }

    @Override
    public synchronized long headVersion() {
        return versions.size();
    }

    @Override
    public synchronized Committed commit(List<Change> changes) {
        if (changes.isEmpty()) {
            return new Committed(versions.size(), Instant.ofEpochMilli(lastCommitMillis));
        }
        Map<String, byte[]> puts = new LinkedHashMap<>();
        List<String> deletes = new ArrayList<>();
        for (Change change : changes) {
            switch (change) {
                case Put put -> {
                    head.put(put.key(), put.data().clone());
                    puts.put(put.key(), put.data().clone());
                    deletes.remove(put.key());
                }
                case Delete delete -> {
                    if (head.remove(delete.key()) != null) {
                        deletes.add(delete.key());
                    }
                    puts.remove(delete.key());
                }
            }
        }
        // Commit times never go backwards, like the control plane's.
        lastCommitMillis = Math.max(lastCommitMillis, System.currentTimeMillis());
        VersionChanges version = new VersionChanges(versions.size() + 1, Instant.ofEpochMilli(lastCommitMillis),
                puts, deletes);
        versions.add(version);
        return new Committed(version.version(), version.commitTime());
    }

    @Override
    public synchronized Committed forget(List<String> keys) {
        List<Change> deletes = new ArrayList<>();
        for (String key : keys) {
            deletes.add(new Delete(key));
        }
        Committed committed = commit(deletes);
        if (encrypted) {
            forgotten.addAll(keys);
        }
        return committed;
    }

    @Override
    public synchronized Optional<byte[]> read(String key) {
        return Optional.ofNullable(head.get(key)).map(byte[]::clone);
    }

    @Override
    public synchronized List<String> keys(String prefix) {
        return head.subMap(prefix, true, prefix + Character.MAX_VALUE, false).keySet().stream().toList();
    }

    @Override
    public synchronized Instant commitTime(long version) {
        if (version < 1 || version > versions.size()) {
            throw new IllegalArgumentException("space " + name + " has no version " + version);
        }
        return versions.get((int) (version - 1)).commitTime();
    }

    /** The {@code afterVersion} of every {@link #changesSince} call, oldest first: what readers replayed. */
    public synchronized List<Long> replayedFrom() {
        return List.copyOf(replayedFrom);
    }

    @Override
    public synchronized List<VersionChanges> changesSince(long afterVersion, int limit) {
        replayedFrom.add(afterVersion);
        List<VersionChanges> page = new ArrayList<>();
        for (long v = afterVersion + 1; v <= versions.size() && page.size() < limit; v++) {
            VersionChanges version = versions.get((int) (v - 1));
            Map<String, byte[]> readable = new LinkedHashMap<>();
            List<String> deletes = new ArrayList<>(version.deletes());
            version.puts().forEach((key, bytes) -> {
                if (forgotten.contains(key)) {
                    deletes.add(key);
                } else {
                    readable.put(key, bytes.clone());
                }
            });
            page.add(new VersionChanges(version.version(), version.commitTime(), readable, deletes));
        }
        return page;
    }

    @Override
    public void close() {
    }
}
