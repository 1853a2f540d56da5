package io.tusk.memory.index;

import java.util.Objects;

/** One change a commit makes to the index. */
public sealed interface IndexChange {

    /**
     * A new memory, or a new revision of one: the current revision (if any) is superseded, keeping it in history
     * with its recorded time closed at {@code memory.recordedAt()} and its valid time closed at
     * {@code memory.validFrom()} (unless it had ended earlier).
     */
    record Put(IndexedMemory memory) implements IndexChange {
        public Put {
            Objects.requireNonNull(memory, "memory");
        }
    }

    /** The memory is forgotten: every revision leaves the index, history included. */
    record Forget(String id) implements IndexChange {
        public Forget {
            Objects.requireNonNull(id, "id");
        }
    }
}
