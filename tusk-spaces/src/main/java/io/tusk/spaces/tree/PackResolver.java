package io.tusk.spaces.tree;

/**
 * Where the things a commit builds end up in its pack: fresh nodes and pending entry data get a location (and nodes a
 * hash) once the pack's layout is known. Before that, {@link #SIZING} stands in with placeholders of the same wire
 * size, so a node's size does not depend on where its children land.
 */
public interface PackResolver {
    Location location(Node fresh);

    byte[] hash(Node fresh);

    /** The location of a pending value (entry data) placed in the pack. */
    Location location(Object pendingData);

    PackResolver SIZING = new PackResolver() {
        private final byte[] zeros = new byte[32];

        @Override
        public Location location(Node fresh) {
            return Location.PLACEHOLDER;
        }

        @Override
        public byte[] hash(Node fresh) {
            return zeros;
        }

        @Override
        public Location location(Object pendingData) {
            return Location.PLACEHOLDER;
        }
    };

    /** For nodes with nothing pending (re-serializing stored nodes): any pending reference is a bug. */
    PackResolver NONE = new PackResolver() {
        @Override
        public Location location(Node fresh) {
            throw new IllegalStateException("a fresh node where none was expected");
        }

        @Override
        public byte[] hash(Node fresh) {
            throw new IllegalStateException("a fresh node where none was expected");
        }

        @Override
        public Location location(Object pendingData) {
            throw new IllegalStateException("pending data where none was expected");
        }
    };
}
