package io.tusk.spaces;

import io.tusk.control.api.Command;
import io.tusk.core.hash.Blake2b256;
import io.tusk.spaces.crypto.Aead;
import io.tusk.spaces.crypto.EntryCipher;
import io.tusk.spaces.crypto.Sealer;
import io.tusk.spaces.manifest.CommitDetails;
import io.tusk.spaces.manifest.DataRef;
import io.tusk.spaces.manifest.EntryRecord;
import io.tusk.spaces.manifest.InlineVersion;
import io.tusk.spaces.manifest.KeyRef;
import io.tusk.spaces.tree.Keys;
import io.tusk.spaces.tree.TreeEditor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Plans a small commit as an inline version (docs/spaces.md, "Inline versions"), when it is one. */
final class InlinePlanner {
    private final Space space;
    private final Spaces spaces;

    InlinePlanner(Space space) {
        this.space = space;
        this.spaces = space.spaces();
    }

    /**
     * A small commit held inline by the control plane (docs/spaces.md, "Inline versions"), or null if this one is not
     * small: puts of bytes up to the small-entry size and plain deletes only, the version at most
     * {@link InlineVersion#MAX_BYTES}, and room left in the space's inline versions. Builds on a manifest: the first
     * commit of a space stores one (it creates an encrypted space's key).
     */
    Committer.Attempt plan(Snapshot base, Staging staging, String message) {
        if (base.manifest() == null || !staging.tags.isEmpty() || staging.rotateKey || staging.retention != null
                || staging.ops.isEmpty() || staging.ops.size() > InlineVersion.MAX_KEYS) {
            return null;
        }
        long held = 0;
        for (InlineTail.Held h : base.inlineVersions()) {
            held += h.bytes().length + (h.sealedKeys() == null ? 0 : h.sealedKeys().length);
        }
        if (base.inlineVersions().size() >= Command.CommitSpace.MAX_INLINE_VERSIONS) {
            return null;
        }
        boolean encrypted = space.encrypted();
        Sealer sealer = base.sealer();
        if (encrypted && !sealer.hasKeys()) {
            throw new SpaceKeyException("space " + space.name() + " is encrypted and this client does not hold its owner key");
        }
        long version = base.version() + 1;
        long time = Math.max(System.currentTimeMillis(), base.commitTime().toEpochMilli());
        List<InlineVersion.Change> changes = new ArrayList<>();
        NavigableMap<byte[], Object> edits = new TreeMap<>(Keys.ORDER);
        List<byte[]> dataKeys = new ArrayList<>();
        List<String> changedKeys = new ArrayList<>();
        long puts = 0;
        long deletes = 0;
        long bytes = 0;
        for (Map.Entry<byte[], Staging.Op> change : staging.ops.entrySet()) {
            byte[] key = change.getKey();
            String text = Keys.decode(key);
            EntryRecord old = base.record(key);
            switch (change.getValue()) {
                case Staging.Delete delete -> {
                    if (delete.forget()) {
                        return null;
                    }
                    Committer.check(delete.condition(), old, text);
                    if (old == null) {
                        continue;
                    }
                    changes.add(new InlineVersion.Change(key, null));
                    edits.put(key, TreeEditor.DELETE);
                    deletes++;
                }
                case Staging.Put put -> {
                    Committer.check(put.options().condition(), old, text);
                    long length = put.bytes() != null ? put.bytes().length : put.content().length();
                    if (length > spaces.options().smallEntryMaxBytes() || length > InlineVersion.MAX_BYTES) {
                        return null;
                    }
                    byte[] plain = put.bytes() != null ? put.bytes() : Committer.readAll(put.content(), text);
                    byte[] dataKey = encrypted ? Aead.randomKey() : null;
                    byte[] stored = encrypted ? EntryCipher.encrypt(dataKey, plain) : plain;
                    KeyRef keyRef = null;
                    if (dataKey != null) {
                        keyRef = new KeyRef(version, dataKeys.size());
                        dataKeys.add(dataKey);
                    }
                    EntryRecord record = new EntryRecord(length, put.options().contentType(), put.options().metadata(),
                            Blake2b256.hash(stored), version, time,
                            stored.length == 0 ? new DataRef.Empty() : new DataRef.Pending(stored), keyRef);
                    changes.add(new InlineVersion.Change(key, record));
                    edits.put(key, record);
                    puts++;
                    bytes += stored.length;
                    if (bytes > InlineVersion.MAX_BYTES) {
                        return null;
                    }
                }
                case Staging.PutStaged put -> {
                    return null;
                }
                case Staging.Copy copy -> {
                    return null;
                }
            }
            if (changedKeys.size() < CommitDetails.MAX_KEYS) {
                changedKeys.add(text);
            }
        }
        if (edits.isEmpty()) {
            return new Committer.Unchanged();
        }
        InlineVersion.Body body = new InlineVersion.Body(changes, new CommitDetails(Committer.truncate(message), puts, deletes,
                changedKeys, edits.size() > changedKeys.size()));
        InlineVersion version1 = InlineVersion.of(space.ownerAddress(), space.name(), version, base.versionId(), time,
                dataKeys.size(), body, sealer);
        byte[] encoded = version1.toBytes();
        byte[] sealedKeys = dataKeys.isEmpty() ? null : InlineVersion.sealKeys(sealer, version, dataKeys);
        long size = encoded.length + (sealedKeys == null ? 0 : sealedKeys.length);
        if (encoded.length > InlineVersion.MAX_BYTES
                || (sealedKeys != null && sealedKeys.length > Command.CommitSpace.MAX_INLINE_KEY_BYTES)
                || held + size > Command.CommitSpace.MAX_INLINE_TOTAL_BYTES) {
            return null;
        }
        InlineTail.Held mine = new InlineTail.Held(version1, encoded, InlineVersion.id(encoded), sealedKeys);
        Snapshot rebuilt = InlineTail.apply(base, mine, version, 0); // what every reader will rebuild, checked here
        return new Committer.InlinePlan(version, time, mine, rebuilt, Math.max(1, edits.size()));
    }
}
