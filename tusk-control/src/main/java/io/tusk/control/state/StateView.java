package io.tusk.control.state;

import java.util.function.BiPredicate;

/**
 * Where the concerns read and write: the batch of the command being applied while there is one (so a command reads
 * its own writes), the committed state otherwise. The state's lock makes the switch safe: {@link #begin} and
 * {@link #end} run under the write lock, queries under the read lock.
 */
final class StateView {
    private final StateStore store;
    private StateBatch batch;

    StateView(StateStore store) {
        this.store = store;
    }

    StateStore store() {
        return store;
    }

    void begin(StateBatch commandBatch) {
        if (batch != null) {
            throw new IllegalStateException("a command is being applied already");
        }
        batch = commandBatch;
    }

    void end() {
        batch = null;
    }

    StateBatch batch() {
        if (batch == null) {
            throw new IllegalStateException("state changes outside of a command");
        }
        return batch;
    }

    byte[] get(byte[] key) {
        return batch != null ? batch.get(key) : store.get(key);
    }

    void scan(byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
        if (batch != null) {
            batch.scan(prefix, from, visitor);
        } else {
            store.scan(prefix, from, visitor);
        }
    }

    void put(byte[] key, byte[] value) {
        batch().put(key, value);
    }

    void delete(byte[] key) {
        batch().delete(key);
    }
}
