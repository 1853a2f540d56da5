package io.tusk.control.state;

import io.tusk.control.state.StateCodec.Codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * One table of a concern: a sorted map from {@code K} to {@code V}, stored in the state family under the key prefix
 * {@code name + "/"} (names end at the slash, so no table's keys start with another's). Reads and writes go through
 * the {@link StateView}: during a command they see its own changes, and writes join its batch.
 *
 * @param <K> keys; their encoding's byte order is the table's order
 * @param <V> values
 */
final class Table<K, V> {
    private final StateView view;
    private final String name;
    private final byte[] prefix;
    private final Codec<K> keys;
    private final Function<K, Codec<V>> values;

    /** A table whose value codec depends on the key (a value that leaves out what the key says). */
    Table(StateView view, String name, Codec<K> keys, Function<K, Codec<V>> values) {
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("table name must be non-empty and without '/', got '" + name + "'");
        }
        this.view = view;
        this.name = name;
        this.prefix = (name + "/").getBytes(StandardCharsets.US_ASCII);
        this.keys = keys;
        this.values = values;
    }

    Table(StateView view, String name, Codec<K> keys, Codec<V> values) {
        this(view, name, keys, k -> values);
    }

    String name() {
        return name;
    }

    Optional<V> find(K key) {
        return Optional.ofNullable(get(key));
    }

    /** The value, or null. */
    V get(K key) {
        byte[] bytes = view.get(storeKey(key));
        return bytes == null ? null : values.apply(key).decode(bytes);
    }

    /** The committed value, or null, ignoring a command being applied: for reads off the apply thread. */
    V getCommitted(K key) {
        byte[] bytes = view.store().get(storeKey(key));
        return bytes == null ? null : values.apply(key).decode(bytes);
    }

    boolean contains(K key) {
        return view.get(storeKey(key)) != null;
    }

    void put(K key, V value) {
        view.put(storeKey(key), values.apply(key).encode(value));
    }

    void delete(K key) {
        view.delete(storeKey(key));
    }

    /**
     * Visits the entries whose encoded key starts with {@code keyPrefix}, in key order, starting after the encoded
     * key {@code after} (or at the first if null), until the visitor returns false.
     */
    void scanRaw(byte[] keyPrefix, byte[] after, BiPredicate<byte[], byte[]> visitor) {
        byte[] scanPrefix = StateCodec.concat(prefix, keyPrefix);
        byte[] from = after == null ? scanPrefix : successor(StateCodec.concat(prefix, after));
        view.scan(scanPrefix, from, (storeKey, value) ->
                visitor.test(Arrays.copyOfRange(storeKey, prefix.length, storeKey.length), value));
    }

    /** Visits every entry in key order until the visitor returns false. */
    void scan(BiPredicate<K, V> visitor) {
        scanRaw(StateCodec.EMPTY, null, (key, value) -> {
            K k = keys.decode(key);
            return visitor.test(k, values.apply(k).decode(value));
        });
    }

    byte[] storeKey(K key) {
        return StateCodec.concat(prefix, keys.encode(key));
    }

    /** The smallest key after {@code key}: the key with a zero byte appended. */
    private static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }
}
