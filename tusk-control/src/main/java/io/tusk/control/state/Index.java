package io.tusk.control.state;

import io.tusk.control.state.StateCodec.Codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A secondary index: a set of (group, member) pairs, each a fixed-length ID, kept as keys {@code group | member} of a
 * {@link Table} with empty values, so the members of a group come in member order from one prefix scan (the blob
 * objects of a blob ID, those of an owner).
 */
final class Index {
    private final Table<byte[], Boolean> table;
    private final Codec<String> groups;
    private final Codec<String> members;

    Index(StateView view, String name, Codec<String> groups, Codec<String> members) {
        this.table = new Table<>(view, name, StateCodec.RAW, StateCodec.PRESENT);
        this.groups = groups;
        this.members = members;
    }

    void add(String group, String member) {
        table.put(StateCodec.concat(groups.encode(group), members.encode(member)), Boolean.TRUE);
    }

    void remove(String group, String member) {
        table.delete(StateCodec.concat(groups.encode(group), members.encode(member)));
    }

    /** Up to {@code limit} members of {@code group} in order, after {@code after} (null: from the first). */
    List<String> members(String group, String after, int limit) {
        byte[] groupKey = groups.encode(group);
        List<String> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        byte[] afterKey = after == null ? null : StateCodec.concat(groupKey, members.encode(after));
        table.scanRaw(groupKey, afterKey, (key, value) -> {
            out.add(members.decode(Arrays.copyOfRange(key, groupKey.length, key.length)));
            return out.size() < limit;
        });
        return out;
    }
}
