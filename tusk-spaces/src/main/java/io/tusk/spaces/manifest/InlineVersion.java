package io.tusk.spaces.manifest;

import io.tusk.control.api.Command;
import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.crypto.Address;
import io.tusk.core.hash.Blake2b256;
import io.tusk.spaces.VerificationException;
import io.tusk.spaces.crypto.Aead;
import io.tusk.spaces.crypto.Sealer;
import io.tusk.spaces.tree.Keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A small commit the control plane holds for its space until the owner folds it into a manifest blob
 * (docs/spaces.md, "Inline versions"): the changes themselves, not a tree, so a commit is one control-plane command
 * instead of three blobs. Readers replay inline versions onto the tree of the manifest before them. In BCS:
 * <pre>
 * struct InlineVersion {
 *     magic: [u8; 8],                  // 89 'T' 'U' 'S' 'K' 'I' 'V' 0A
 *     format: u8,                      // 1
 *     owner: [u8; 32], name: String, version: u64,
 *     previous: [u8; 32],              // the ID of version - 1: its manifest blob ID, or the Blake2b-256 of its
 *                                      // InlineVersion bytes if it was committed inline (a hash chain either way)
 *     commit_time_millis: u64,
 *     key_count: u32,                  // data keys its entries use (KeyRef(version, 0 .. key_count - 1))
 *     body: vector&lt;u8&gt;,              // Sealer("inline") of BCS Body
 * }
 * struct Body { changes: vector&lt;Change&gt;, details: vector&lt;u8&gt; }       // details: BCS CommitDetails
 * struct Change { key: vector&lt;u8&gt;, entry: Option&lt;InlineEntry&gt; }     // None: the key was deleted
 * struct InlineEntry { record: EntryRecord, data: Option&lt;vector&lt;u8&gt;&gt; } // record's data is Empty when data is
 *                                                                     // given: the stored bytes themselves
 * </pre>
 * The data keys are not in these bytes: they travel beside them (the control plane's {@code inlineKeys}, sealed by
 * {@link #sealKeys}) and, once folded, in the folding manifest's key blob, so forgetting an entry can destroy its key
 * while the version itself stays in the chain.
 */
public record InlineVersion(Address owner, String name, long version, byte[] previous, long commitTimeMillis,
                            int keyCount, byte[] body) {
    private static final byte[] MAGIC = {(byte) 0x89, 'T', 'U', 'S', 'K', 'I', 'V', 0x0A};
    public static final int FORMAT = 1;
    /** Largest inline version: what one control-plane command may carry. */
    public static final int MAX_BYTES = Command.CommitSpace.MAX_INLINE_BYTES;
    /** Most data keys one inline version may use: its sealed keys must fit the command's key field. */
    public static final int MAX_KEYS = (Command.CommitSpace.MAX_INLINE_KEY_BYTES - 64) / Aead.KEY_BYTES;
    private static final int MAX_CHANGES = 4096;

    public InlineVersion {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        if (previous.length != Blake2b256.DIGEST_LENGTH) {
            throw new IllegalArgumentException("previous must be 32 bytes, got " + previous.length);
        }
        if (version < 2) {
            throw new IllegalArgumentException("an inline version builds on a manifest, so it is at least 2, got " + version);
        }
        if (keyCount < 0 || keyCount > MAX_KEYS) {
            throw new IllegalArgumentException("an inline version uses 0 to " + MAX_KEYS + " data keys, got " + keyCount);
        }
    }

    /** One change: {@code record} null for a delete; {@code record.data()} is {@link DataRef.Pending} for bytes held inline. */
    public record Change(byte[] key, EntryRecord record) {
        public Change {
            Objects.requireNonNull(key, "key");
        }
    }

    /** The opened body: the changes in key order and the commit's details. */
    public record Body(List<Change> changes, CommitDetails details) {
        public Body {
            changes = List.copyOf(changes);
        }

        public byte[] toBytes() {
            BcsWriter out = new BcsWriter(256);
            out.uleb128(changes.size());
            for (Change c : changes) {
                out.bytes(c.key());
                if (c.record() == null) {
                    out.u8(0);
                    continue;
                }
                out.u8(1);
                DataRef data = c.record().data();
                byte[] held = data instanceof DataRef.Pending p ? p.bytes() : null;
                if (held == null && !(data instanceof DataRef.Empty) && !(data instanceof DataRef.Blob)) {
                    throw new IllegalArgumentException("an inline entry holds its bytes, is empty or is a blob; got " + data);
                }
                EntryRecord written = held == null ? c.record() : c.record().withData(new DataRef.Empty(), c.record().key());
                EntryCodec.INSTANCE.write(out, written, null);
                if (held == null) {
                    out.u8(0);
                } else {
                    out.u8(1).bytes(held);
                }
            }
            return out.bytes(details.toBytes()).toByteArray();
        }

        /** @throws VerificationException if malformed */
        public static Body parse(byte[] bytes) {
            try {
                BcsReader in = new BcsReader(bytes);
                int count = in.length(MAX_CHANGES, "inline changes");
                List<Change> changes = new ArrayList<>(count);
                byte[] previous = null;
                for (int i = 0; i < count; i++) {
                    byte[] key = in.bytes(Keys.MAX_KEY_BYTES);
                    Keys.decode(key);
                    if (previous != null && Keys.ORDER.compare(previous, key) >= 0) {
                        throw new VerificationException("inline changes are not in strictly increasing key order");
                    }
                    previous = key;
                    EntryRecord record = null;
                    if (in.bool()) {
                        record = (EntryRecord) EntryCodec.INSTANCE.read(in, null);
                        if (record.data() instanceof DataRef.Packed) {
                            throw new VerificationException("an inline entry cannot point into a pack");
                        }
                        if (in.bool()) {
                            if (!(record.data() instanceof DataRef.Empty)) {
                                throw new VerificationException("an inline entry with held bytes must say Empty data");
                            }
                            record = record.withData(new DataRef.Pending(in.bytes(MAX_BYTES)), record.key());
                        }
                    }
                    changes.add(new Change(key, record));
                }
                CommitDetails details = CommitDetails.parse(in.bytes(MAX_BYTES));
                in.expectEnd();
                return new Body(changes, details);
            } catch (IllegalArgumentException e) {
                throw new VerificationException("malformed inline version body: " + e.getMessage(), e);
            }
        }
    }

    public static InlineVersion of(Address owner, String name, long version, byte[] previous, long commitTimeMillis,
                                   int keyCount, Body body, Sealer sealer) {
        return new InlineVersion(owner, name, version, previous, commitTimeMillis, keyCount,
                sealer.seal("inline", body.toBytes()));
    }

    public Body open(Sealer sealer) {
        return Body.parse(sealer.open("inline", body));
    }

    public byte[] toBytes() {
        return new BcsWriter(128 + body.length).fixedBytes(MAGIC).u8(FORMAT).fixedBytes(owner.bytes()).string(name)
                .u64(version).fixedBytes(previous).u64(commitTimeMillis).u32(keyCount).bytes(body).toByteArray();
    }

    /** The version's ID in the chain: Blake2b-256 of its bytes. */
    public static byte[] id(byte[] bytes) {
        return Blake2b256.hash(bytes);
    }

    /** @throws VerificationException if the bytes are not a well-formed inline version */
    public static InlineVersion parse(byte[] bytes) {
        if (bytes.length < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new VerificationException("not an inline space version (bad magic)");
        }
        try {
            BcsReader in = new BcsReader(bytes, MAGIC.length, bytes.length - MAGIC.length);
            if (in.u8() != FORMAT) {
                throw new VerificationException("inline version format is not " + FORMAT);
            }
            Address owner = new Address(in.fixedBytes(Address.LENGTH));
            String name = in.string(64);
            long version = in.u64();
            byte[] previous = in.fixedBytes(Blake2b256.DIGEST_LENGTH);
            long time = in.u64();
            long keyCount = in.u32();
            if (keyCount > MAX_KEYS) {
                throw new VerificationException("inline version uses " + keyCount + " data keys, at most " + MAX_KEYS);
            }
            byte[] body = in.bytes(MAX_BYTES);
            in.expectEnd();
            return new InlineVersion(owner, name, version, previous, time, (int) keyCount, body);
        } catch (IllegalArgumentException e) {
            throw new VerificationException("malformed inline version: " + e.getMessage(), e);
        }
    }

    /** Seals an inline version's data keys for the control plane's {@code inlineKeys}. */
    public static byte[] sealKeys(Sealer sealer, long version, List<byte[]> keys) {
        BcsWriter plain = new BcsWriter(8 + keys.size() * Aead.KEY_BYTES).uleb128(keys.size());
        keys.forEach(plain::fixedBytes);
        return sealer.seal("keys/inline/" + version, plain.toByteArray());
    }

    /** Opens an inline version's data keys: exactly {@code count} of them. */
    public static List<byte[]> openKeys(Sealer sealer, long version, byte[] sealed, int count) {
        try {
            BcsReader in = new BcsReader(sealer.open("keys/inline/" + version, sealed));
            int n = in.length(MAX_KEYS, "inline data keys");
            if (n != count) {
                throw new VerificationException("inline version " + version + " has " + n + " data keys, its entries use "
                        + count);
            }
            List<byte[]> keys = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                keys.add(in.fixedBytes(Aead.KEY_BYTES));
            }
            in.expectEnd();
            return keys;
        } catch (IllegalArgumentException e) {
            throw new VerificationException("malformed inline data keys of version " + version + ": " + e.getMessage(), e);
        }
    }
}
