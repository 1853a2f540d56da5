package io.tusk.control.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens control states in directories under a test's temporary directory, and closes them all at the end. */
final class OpenStates implements AutoCloseable {
    private final Path root;
    private final List<ControlState> open = new ArrayList<>();
    private int next;

    OpenStates(Path root) {
        this.root = root;
    }

    /** A new state at genesis, in a directory of its own. */
    ControlState genesis(GenesisConfig genesis) {
        return open(newDirectory(), genesis, StateOptions.defaults());
    }

    ControlState open(Path directory, GenesisConfig genesis, StateOptions options) {
        try {
            ControlState state = ControlState.open(directory, genesis, options);
            open.add(state);
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code state} as it is now: a checkpoint, opened. */
    ControlState copyOf(ControlState state) {
        Path copy = newDirectory();
        try {
            state.checkpoint(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return open(copy, null, StateOptions.defaults());
    }

    Path newDirectory() {
        return root.resolve("state-" + next++);
    }

    @Override
    public void close() {
        for (ControlState state : open) {
            state.close();
        }
        open.clear();
    }
}
