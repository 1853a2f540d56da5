package io.tusk.control.state;

import io.tusk.control.state.StateCodec.Codec;

/**
 * The state's bookkeeping, one table of named values: the format, the genesis, the last applied index, the event
 * count and the first kept event, the epoch state.
 */
final class Meta {
    static final String FORMAT = "format";
    static final String GENESIS = "genesis";
    static final String LAST_APPLIED = "lastApplied";
    /** The Raft term of the last applied entry (0 when the log has no terms): log bookkeeping, not state. */
    static final String LAST_TERM = "lastTerm";
    static final String EVENT_COUNT = "eventCount";
    static final String FIRST_EVENT = "firstEvent";
    static final String EPOCH = "epoch";

    private static final Codec<String> NAME = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
        }
    };

    private final Table<String, byte[]> table;

    Meta(StateView view) {
        this.table = new Table<>(view, "meta", NAME, StateCodec.RAW);
    }

    /** The key under which {@code name} is stored. */
    byte[] storeKey(String name) {
        return table.storeKey(name);
    }

    <T> T get(String name, Codec<T> codec) {
        byte[] bytes = table.get(name);
        return bytes == null ? null : codec.decode(bytes);
    }

    <T> void put(String name, Codec<T> codec, T value) {
        table.put(name, codec.encode(value));
    }

    long getLong(String name, long absent) {
        Long value = get(name, StateCodec.U64);
        return value == null ? absent : value;
    }

    void putLong(String name, long value) {
        put(name, StateCodec.U64, value);
    }
}
