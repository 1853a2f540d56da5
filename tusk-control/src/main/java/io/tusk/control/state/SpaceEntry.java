package io.tusk.control.state;

import io.tusk.control.api.SpaceHead;
import io.tusk.control.state.StateCodec.Codec;
import io.tusk.core.metadata.BlobId;

import java.nio.ByteBuffer;

/**
 * A space's head as the state keeps it: the {@link SpaceHead} (without inline versions, which have a table of their
 * own) and {@code inlineBytes}, the decoded bytes its inline versions hold, so the limits of a new inline version cost
 * this one read. The number of inline versions needs no field: they are versions {@code manifestVersion + 1 ..
 * version}, {@link SpaceHead#inlineCount()}.
 */
record SpaceEntry(SpaceHead head, long inlineBytes) {
    /** The first byte's bit that marks {@link #codec} layout 2; layout 1 wrote only 0 or 1 (encrypted) there. */
    private static final int LAYOUT_2 = 0b10;
    private static final int ENCRYPTED = 0b01;
    private static final int FIXED_2 = 1 + 8 + 8 + 4 + 8 + 4;

    SpaceEntry {
        if (inlineBytes < 0 || (head.inlineCount() == 0 && inlineBytes != 0)) {
            throw new IllegalArgumentException("space " + head.name() + " holds " + head.inlineCount()
                    + " inline versions, which cannot hold " + inlineBytes + " bytes");
        }
    }

    /**
     * Layout 2 (written): flags u8 (bit 0 encrypted, bit 1 set) | version i64 | commit time i64 | created epoch i32 |
     * manifest version i64 | inline bytes u32 | manifest blob ID [32], absent while the manifest version is 0.
     *
     * <p>Layout 1 (read, so state directories from before inline versions still open): encrypted u8 (0 or 1) |
     * version i64 | commit time i64 | created epoch i32 | manifest blob ID [32], absent at version 0. It had no inline
     * versions: the manifest is the head's version's own. The owner and name are the key.
     */
    static Codec<SpaceEntry> codec(SpaceRegistry.SpaceKey key) {
        return new Codec<>() {
            @Override
            public byte[] encode(SpaceEntry entry) {
                SpaceHead h = entry.head();
                ByteBuffer out = ByteBuffer.allocate(FIXED_2 + (h.manifestBlobId() == null ? 0 : BlobId.LENGTH))
                        .put((byte) (LAYOUT_2 | (h.encrypted() ? ENCRYPTED : 0))).putLong(h.version())
                        .putLong(h.commitTimeMillis()).putInt(h.createdEpoch()).putLong(h.manifestVersion())
                        .putInt(Math.toIntExact(entry.inlineBytes()));
                if (h.manifestBlobId() != null) {
                    out.put(StateCodec.BLOB_ID.encode(h.manifestBlobId()));
                }
                return out.array();
            }

            @Override
            public SpaceEntry decode(byte[] bytes) {
                ByteBuffer in = ByteBuffer.wrap(bytes);
                int flags = in.get();
                boolean encrypted = (flags & ENCRYPTED) != 0;
                long version = in.getLong();
                long commitTime = in.getLong();
                int createdEpoch = in.getInt();
                long manifestVersion = version;
                long inlineBytes = 0;
                if ((flags & LAYOUT_2) != 0) {
                    manifestVersion = in.getLong();
                    inlineBytes = Integer.toUnsignedLong(in.getInt());
                }
                String manifest = null;
                if (in.hasRemaining()) {
                    byte[] id = new byte[BlobId.LENGTH];
                    in.get(id);
                    manifest = StateCodec.BLOB_ID.decode(id);
                }
                return new SpaceEntry(new SpaceHead(key.owner(), key.name(), encrypted, version, manifest, commitTime,
                        createdEpoch, manifestVersion, null), inlineBytes);
            }
        };
    }
}
