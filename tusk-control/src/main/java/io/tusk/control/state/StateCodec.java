package io.tusk.control.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.control.api.ControlJson;
import io.tusk.core.crypto.Hex32;
import io.tusk.core.metadata.BlobId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The state-codec concern: how keys and values of the control state are laid out as bytes in RocksDB.
 *
 * <p>Keys are big-endian and fixed-length where they are ordered (cursors, epochs, nonces), and IDs are stored as their
 * 32 raw bytes (an object ID or address {@code 0x…}, a blob ID base64url), so that key order is byte order. The
 * values read and written by every command (accounts, blob objects, outcomes) have a compact binary form; the rest
 * (nodes, committees, events, the genesis) are {@link ControlJson} JSON, which is deterministic for records.
 *
 * <p>Changing a layout changes the state's digest and what old databases hold: bump {@link ControlState#FORMAT}.
 */
final class StateCodec {
    private StateCodec() {}

    /** Bytes to a value and back. Decoding bytes the codec did not write is a bug (or corruption): it throws. */
    interface Codec<T> {
        byte[] encode(T value);

        T decode(byte[] bytes);
    }

    static final byte[] EMPTY = new byte[0];

    /** Bytes as they are. */
    static final Codec<byte[]> RAW = new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value;
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes;
        }
    };

    // ------------------------------------------------------------------------------------------------ keys

    /** An object ID, node ID or address ({@code 0x} + 64 hex digits) as its 32 bytes. */
    static final Codec<String> ID = new Codec<>() {
        @Override
        public byte[] encode(String text) {
            return Hex32.parse(text, "ID");
        }

        @Override
        public String decode(byte[] bytes) {
            return Hex32.format(bytes);
        }
    };

    /** A blob ID (base64url) as its 32 bytes. */
    static final Codec<String> BLOB_ID = new Codec<>() {
        @Override
        public byte[] encode(String text) {
            return BlobId.parse(text).bytes();
        }

        @Override
        public String decode(byte[] bytes) {
            return BlobId.of(bytes).toString();
        }
    };

    static final Codec<Long> U64 = new Codec<>() {
        @Override
        public byte[] encode(Long value) {
            return u64(value);
        }

        @Override
        public Long decode(byte[] bytes) {
            return ByteBuffer.wrap(bytes).getLong();
        }
    };

    static final Codec<Integer> U32 = new Codec<>() {
        @Override
        public byte[] encode(Integer value) {
            return u32(value);
        }

        @Override
        public Integer decode(byte[] bytes) {
            return ByteBuffer.wrap(bytes).getInt();
        }
    };

    /** Nothing: the value of an index entry, whose key says everything. */
    static final Codec<Boolean> PRESENT = new Codec<>() {
        @Override
        public byte[] encode(Boolean value) {
            return EMPTY;
        }

        @Override
        public Boolean decode(byte[] bytes) {
            return Boolean.TRUE;
        }
    };

    static byte[] u64(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static byte[] u32(int value) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }

    // ------------------------------------------------------------------------------------------------ values

    /** balance i64 | next nonce i64; the address is the key. */
    static Codec<AccountEntry> account(String address) {
        return new Codec<>() {
            @Override
            public byte[] encode(AccountEntry a) {
                return ByteBuffer.allocate(16).putLong(a.balance()).putLong(a.nextNonce()).array();
            }

            @Override
            public AccountEntry decode(byte[] bytes) {
                ByteBuffer in = ByteBuffer.wrap(bytes);
                return new AccountEntry(address, in.getLong(), in.getLong());
            }
        };
    }

    /** payload hash [32] | index i64 | first cursor i64 | event count i32. */
    static final Codec<OutcomeEntry> OUTCOME = new Codec<>() {
        @Override
        public byte[] encode(OutcomeEntry o) {
            return ByteBuffer.allocate(32 + 8 + 8 + 4).put(o.payloadHash()).putLong(o.index()).putLong(o.firstCursor())
                    .putInt(o.eventCount()).array();
        }

        @Override
        public OutcomeEntry decode(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte[] hash = new byte[32];
            in.get(hash);
            return new OutcomeEntry(hash, in.getLong(), in.getLong(), in.getInt());
        }
    };

    /**
     * object ID [32] | owner [32] | blob ID [32] | size i64 | registered epoch i32 | certified epoch i32 (-1: none) |
     * storage ID [32] | start epoch i32 | end epoch i32 | storage size i64 | deletable u8 | registered cursor i64 |
     * certified cursor i64 | encoding type (u8 length, UTF-8).
     */
    static final Codec<BlobEntry> BLOB = new Codec<>() {
        @Override
        public byte[] encode(BlobEntry b) {
            byte[] encodingType = b.encodingType().getBytes(StandardCharsets.UTF_8);
            if (encodingType.length > 255) {
                throw new IllegalArgumentException("encoding type longer than 255 bytes");
            }
            return ByteBuffer.allocate(32 * 4 + 8 * 4 + 4 * 4 + 1 + 1 + encodingType.length)
                    .put(ID.encode(b.objectId())).put(ID.encode(b.owner())).put(BLOB_ID.encode(b.blobId()))
                    .putLong(b.size()).putInt(b.registeredEpoch())
                    .putInt(b.certifiedEpoch() == null ? -1 : b.certifiedEpoch())
                    .put(ID.encode(b.storageId())).putInt(b.startEpoch()).putInt(b.endEpoch()).putLong(b.storageSize())
                    .put((byte) (b.deletable() ? 1 : 0)).putLong(b.registeredCursor()).putLong(b.certifiedCursor())
                    .put((byte) encodingType.length).put(encodingType).array();
        }

        @Override
        public BlobEntry decode(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            String objectId = ID.decode(take(in, 32));
            String owner = ID.decode(take(in, 32));
            String blobId = BLOB_ID.decode(take(in, 32));
            long size = in.getLong();
            int registeredEpoch = in.getInt();
            int certified = in.getInt();
            String storageId = ID.decode(take(in, 32));
            int startEpoch = in.getInt();
            int endEpoch = in.getInt();
            long storageSize = in.getLong();
            boolean deletable = in.get() != 0;
            long registeredCursor = in.getLong();
            long certifiedCursor = in.getLong();
            String encodingType = new String(take(in, in.get() & 0xff), StandardCharsets.UTF_8);
            return new BlobEntry(objectId, owner, blobId, size, encodingType, registeredEpoch,
                    certified < 0 ? null : certified, storageId, startEpoch, endEpoch, storageSize, deletable,
                    registeredCursor, certifiedCursor);
        }
    };

    private static byte[] take(ByteBuffer in, int length) {
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }

    /** The value as {@link ControlJson} JSON. */
    static <T> Codec<T> json(Class<T> type) {
        ObjectMapper mapper = ControlJson.mapper();
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                try {
                    return mapper.writeValueAsBytes(value);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write a " + type.getSimpleName(), e);
                }
            }

            @Override
            public T decode(byte[] bytes) {
                try {
                    return mapper.readValue(bytes, type);
                } catch (IOException e) {
                    throw new UncheckedIOException("stored " + type.getSimpleName() + " does not parse: "
                            + Text.firstLine(e.getMessage()), e);
                }
            }
        };
    }
}
