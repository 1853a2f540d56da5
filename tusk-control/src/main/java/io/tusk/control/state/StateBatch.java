package io.tusk.control.state;

import org.rocksdb.WriteBatch;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * The changes of the log entry being applied (one command or several): a RocksDB {@link WriteBatch} and, beside it,
 * the same changes in a sorted map, so that a command reads its own writes and those of the commands before it in the
 * entry. Nothing is visible to anyone else until {@link StateStore#write}. A command refused in the middle of an entry
 * is undone back to its {@link #mark} (a RocksDB save point, and an undo list for the map), so the others' changes
 * stay. One per entry, on the applying thread only.
 */
final class StateBatch implements AutoCloseable {
    /** A deleted key in {@link #pending}. */
    private static final byte[] DELETED = new byte[0];

    private final StateStore store;
    private final WriteBatch batch;
    // INV: every put and delete of this batch, last one wins; DELETED (by identity) marks a delete.
    private final TreeMap<byte[], byte[]> pending = new TreeMap<>(Arrays::compareUnsigned);
    /** Since the last {@link #mark}: each key changed and what {@link #pending} held for it before (null: nothing). */
    private final ArrayList<Map.Entry<byte[], byte[]>> undo = new ArrayList<>();
    private boolean marked;

    StateBatch(StateStore store) {
        this.store = store;
        this.batch = store.newBatch();
    }

    byte[] get(byte[] key) {
        byte[] value = pending.get(key);
        if (value != null) {
            return value == DELETED ? null : value;
        }
        return store.get(key);
    }

    void put(byte[] key, byte[] value) {
        remember(key, pending.put(key, value));
        store.put(batch, key, value);
    }

    void delete(byte[] key) {
        remember(key, pending.put(key, DELETED));
        store.delete(batch, key);
    }

    private void remember(byte[] key, byte[] previous) {
        if (marked) {
            undo.add(new AbstractMap.SimpleImmutableEntry<>(key, previous));
        }
    }

    /** Where the next command of the entry starts: {@link #undoToMark} drops what it changes after this. */
    void mark() {
        if (marked) {
            store.popSavePoint(batch);
        }
        store.setSavePoint(batch);
        undo.clear();
        marked = true;
    }

    /** Drops every change since the last {@link #mark} (a refused command's), keeping the ones before it. */
    void undoToMark() {
        if (!marked) {
            throw new IllegalStateException("no mark to undo to");
        }
        store.rollbackToSavePoint(batch);
        for (int i = undo.size() - 1; i >= 0; i--) {
            Map.Entry<byte[], byte[]> change = undo.get(i);
            if (change.getValue() == null) {
                pending.remove(change.getKey());
            } else {
                pending.put(change.getKey(), change.getValue());
            }
        }
        undo.clear();
        marked = false;
    }

    void putEvent(byte[] key, byte[] value) {
        store.putEvent(batch, key, value);
    }

    void deleteEvents(byte[] fromKey, byte[] toKey) {
        store.deleteEvents(batch, fromKey, toKey);
    }

    /**
     * Like {@link StateStore#scan}, with this batch's changes merged in: the committed entries and the pending ones in
     * key order, pending ones replacing (or deleting) committed ones with the same key.
     */
    void scan(byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
        byte[] end = StateStore.prefixEnd(prefix);
        NavigableMap<byte[], byte[]> mine = end == null ? pending.tailMap(from, true) : pending.subMap(from, true, end, false);
        if (mine.isEmpty()) {
            store.scan(prefix, from, visitor);
            return;
        }
        var own = mine.entrySet().iterator();
        @SuppressWarnings("unchecked") // a one-element array the lambda below can reassign; no generic array creation
        Map.Entry<byte[], byte[]>[] next = (Map.Entry<byte[], byte[]>[]) new Map.Entry<?, ?>[] {own.next()};
        boolean[] stopped = {false};
        store.scan(prefix, from, (key, value) -> {
            // first the pending entries before this committed key
            while (next[0] != null && Arrays.compareUnsigned(next[0].getKey(), key) < 0) {
                if (!emit(next[0], visitor)) {
                    stopped[0] = true;
                    return false;
                }
                next[0] = own.hasNext() ? own.next() : null;
            }
            if (next[0] != null && Arrays.equals(next[0].getKey(), key)) {
                Map.Entry<byte[], byte[]> replaced = next[0];
                next[0] = own.hasNext() ? own.next() : null;
                if (!emit(replaced, visitor)) {
                    stopped[0] = true;
                    return false;
                }
                return true;
            }
            if (!visitor.test(key, value)) {
                stopped[0] = true;
                return false;
            }
            return true;
        });
        while (!stopped[0] && next[0] != null) {
            if (!emit(next[0], visitor)) {
                return;
            }
            next[0] = own.hasNext() ? own.next() : null;
        }
    }

    /** Hands a pending entry to the visitor unless it is a delete; returns whether to go on. */
    private static boolean emit(Map.Entry<byte[], byte[]> entry, BiPredicate<byte[], byte[]> visitor) {
        return entry.getValue() == DELETED || visitor.test(entry.getKey(), entry.getValue());
    }

    /** Writes every change at once. */
    void commit() {
        store.write(batch);
    }

    @Override
    public void close() {
        batch.close();
    }
}
