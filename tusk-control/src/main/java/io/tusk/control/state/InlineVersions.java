package io.tusk.control.state;

import io.tusk.control.api.Command;
import io.tusk.control.api.SpaceHead;
import io.tusk.control.state.SpaceRegistry.SpaceKey;
import io.tusk.control.state.StateCodec.Codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The inline versions of spaces (docs/spaces.md, "Inline versions"): small commits the control plane holds until
 * their owner folds them into a manifest blob. Table {@code space-inline}: owner [32] | name length u8 | name |
 * version u64 → commit time i64 | inline length u32 | inline | keys present u8 | keys. The name's length comes first
 * so one space's versions are exactly the keys under its prefix, in version order: a fold deletes a range and a query
 * reads one. A space holds at most {@value Command.CommitSpace#MAX_INLINE_VERSIONS}, so every range is bounded.
 */
final class InlineVersions {
    /** One inline version as stored: its bytes and sealed data keys decoded (keys null if none were sent). */
    record Stored(long commitTimeMillis, byte[] inline, byte[] keys) {
        int size() {
            return inline.length + (keys == null ? 0 : keys.length);
        }

        SpaceHead.InlineVersion toApi(long version) {
            Base64.Encoder base64 = Base64.getEncoder();
            return new SpaceHead.InlineVersion(version, commitTimeMillis, base64.encodeToString(inline),
                    keys == null ? null : base64.encodeToString(keys));
        }
    }

    private static final Codec<Stored> VALUE = new Codec<>() {
        @Override
        public byte[] encode(Stored v) {
            int keys = v.keys() == null ? 0 : v.keys().length;
            ByteBuffer out = ByteBuffer.allocate(8 + 4 + v.inline().length + 1 + keys)
                    .putLong(v.commitTimeMillis()).putInt(v.inline().length).put(v.inline())
                    .put((byte) (v.keys() == null ? 0 : 1));
            if (v.keys() != null) {
                out.put(v.keys());
            }
            return out.array();
        }

        @Override
        public Stored decode(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            long commitTime = in.getLong();
            byte[] inline = new byte[in.getInt()];
            in.get(inline);
            byte[] keys = null;
            if (in.get() != 0) {
                keys = new byte[in.remaining()];
                in.get(keys);
            }
            return new Stored(commitTime, inline, keys);
        }
    };

    private final Table<byte[], Stored> table;

    InlineVersions(StateView view) {
        this.table = new Table<>(view, "space-inline", StateCodec.RAW, VALUE);
    }

    void put(SpaceKey space, long version, long commitTimeMillis, SpaceCommit.Inline inline) {
        table.put(key(space, version), new Stored(commitTimeMillis, inline.inline(), inline.keys()));
    }

    /** The inline version, or null. */
    Stored get(SpaceKey space, long version) {
        return table.get(key(space, version));
    }

    /** The space's inline versions after {@code after}, oldest first. */
    List<SpaceHead.InlineVersion> after(SpaceKey space, long after) {
        byte[] prefix = prefix(space);
        List<SpaceHead.InlineVersion> out = new ArrayList<>();
        table.scanRaw(prefix, after < 0 ? null : key(space, after), (key, value) -> {
            out.add(VALUE.decode(value).toApi(version(key)));
            return out.size() < Command.CommitSpace.MAX_INLINE_VERSIONS; // no space holds more
        });
        return out;
    }

    /** Deletes the space's inline versions up to {@code version}; returns the bytes they held. */
    long dropUpTo(SpaceKey space, long version) {
        List<byte[]> dropped = new ArrayList<>();
        long[] bytes = {0};
        table.scanRaw(prefix(space), null, (key, value) -> {
            if (version(key) > version) {
                return false;
            }
            dropped.add(key);
            bytes[0] += VALUE.decode(value).size();
            return true;
        });
        dropped.forEach(table::delete); // after the scan: the batch's own changes are not modified while it runs
        return bytes[0];
    }

    private static byte[] prefix(SpaceKey space) {
        byte[] name = space.name().getBytes(StandardCharsets.US_ASCII);
        return StateCodec.concat(StateCodec.ID.encode(space.owner()), new byte[] {(byte) name.length}, name);
    }

    private static byte[] key(SpaceKey space, long version) {
        return StateCodec.concat(prefix(space), StateCodec.u64(version));
    }

    private static long version(byte[] key) {
        return ByteBuffer.wrap(key, key.length - Long.BYTES, Long.BYTES).getLong();
    }
}
