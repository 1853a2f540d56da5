package io.tusk.spaces;

import io.tusk.core.hash.Blake2b256;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.crypto.Sealer;
import io.tusk.spaces.manifest.EntryCodec;
import io.tusk.spaces.manifest.EntryRecord;
import io.tusk.spaces.manifest.SpaceManifest;
import io.tusk.spaces.store.NodeLoader;
import io.tusk.spaces.tree.Keys;
import io.tusk.spaces.tree.Node;
import io.tusk.spaces.tree.NodeCodec;
import io.tusk.spaces.tree.TreeCursor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * One version of a space, read-only: its entries, their contents, listings. Reading one key reads one tree node per
 * level (O(log N) small patch reads, cached); a page of a listing reads the leaves it covers. Thread-safe.
 */
public final class Snapshot {
    static final NodeCodec ENTRY_NODES = new NodeCodec(EntryCodec.INSTANCE);

    private final Space space;
    private final long version;
    /** This version's own manifest blob; null for version 0 and for inline versions. */
    private final BlobId manifestBlobId;
    /** This version's manifest, or for an inline version the manifest its tree builds on. */
    private final SpaceManifest manifest;
    private final BlobId baseManifestId;
    private final Sealer sealer;
    private final Node root;
    private final NodeLoader nodes;
    private final long commitTimeMillis;
    /** The ID the next version's chain link names (docs/spaces.md, "Inline versions"); null for version 0. */
    private final byte[] versionId;
    /** The inline versions from the base manifest up to this one, oldest first (empty for a manifest version). */
    private final List<InlineTail.Held> inline;

    Snapshot(Space space, long version, BlobId manifestBlobId, SpaceManifest manifest, Sealer sealer) {
        this.space = space;
        this.version = version;
        this.manifestBlobId = manifestBlobId;
        this.baseManifestId = manifestBlobId;
        this.manifest = manifest;
        this.sealer = sealer;
        this.nodes = space.spaces().nodeLoader(ENTRY_NODES, sealer);
        this.root = manifest == null || manifest.root() == null ? null
                : ENTRY_NODES.decode(sealer.open("node", manifest.root()), manifest.pack());
        this.commitTimeMillis = manifest == null ? 0 : manifest.commitTimeMillis();
        this.versionId = manifest == null ? null : InlineTail.versionId(manifestBlobId, manifest);
        this.inline = List.of();
    }

    /** An inline version: {@code base}'s tree with the inline versions {@code inline} applied, giving {@code root}. */
    Snapshot(Snapshot base, Node root, List<InlineTail.Held> inline) {
        InlineTail.Held last = inline.getLast();
        this.space = base.space;
        this.version = last.version().version();
        this.manifestBlobId = null;
        this.baseManifestId = base.baseManifestId;
        this.manifest = base.manifest;
        this.sealer = base.sealer;
        this.nodes = base.nodes;
        this.root = root;
        this.commitTimeMillis = last.version().commitTimeMillis();
        this.versionId = last.id();
        this.inline = List.copyOf(inline);
    }

    public Space space() {
        return space;
    }

    public long version() {
        return version;
    }

    /**
     * The manifest blob of this version: null for version 0 (the empty space) and for an inline version, which the
     * control plane holds until it is folded into a later manifest (docs/spaces.md, "Inline versions").
     */
    public String manifestBlobId() {
        return manifestBlobId == null ? null : manifestBlobId.toString();
    }

    /** When this version was committed (the epoch of time 0 for version 0). */
    public Instant commitTime() {
        return Instant.ofEpochMilli(commitTimeMillis);
    }

    public long entryCount() {
        return root == null ? 0 : root.count();
    }

    /** Tags as of this version: tag to the version it names. */
    public Map<String, Long> tags() {
        return manifest == null ? Map.of() : manifest.tags();
    }

    SpaceManifest manifest() {
        return manifest;
    }

    /** This version's manifest blob, or for an inline version the manifest blob its tree builds on. */
    BlobId manifestId() {
        return baseManifestId;
    }

    /** Whether the control plane holds this version inline (not folded into a manifest of its own). */
    public boolean isInline() {
        return !inline.isEmpty();
    }

    /** The inline versions from {@link #manifest()} up to this one, oldest first. */
    List<InlineTail.Held> inlineVersions() {
        return inline;
    }

    byte[] versionId() {
        return versionId;
    }

    long commitTimeMillis() {
        return commitTimeMillis;
    }

    Node root() {
        return root;
    }

    NodeLoader nodes() {
        return nodes;
    }

    Sealer sealer() {
        return sealer;
    }

    /** The entry under {@code key}, if any. */
    public Optional<Entry> entry(String key) {
        byte[] k = Keys.encode(key);
        EntryRecord record = record(k);
        return record == null ? Optional.empty() : Optional.of(toEntry(key, record));
    }

    EntryRecord record(byte[] key) {
        return (EntryRecord) TreeCursor.get(root, nodes, key);
    }

    /**
     * The entry's content, checked against its etag (and decrypted).
     *
     * @throws EntryNotFoundException if this version has no such entry
     */
    public byte[] read(String key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            read(key, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the entry's content to {@code out}, streamed for large entries. The etag is checked as the bytes go by:
     * a mismatch throws {@link VerificationException} at the end (after the bytes were written).
     */
    public void read(String key, OutputStream out) throws IOException {
        EntryRecord record = required(key);
        space.readContent(record, out);
    }

    /** Writes bytes {@code [start, start + length)} of the entry's content. */
    public void readRange(String key, long start, long length, OutputStream out) throws IOException {
        EntryRecord record = required(key);
        if (start < 0 || length < 0 || start > record.size() || length > record.size() - start) {
            throw new IllegalArgumentException("range of " + length + " bytes at " + start + " is outside the "
                    + record.size() + " bytes of " + Keys.printable(key));
        }
        space.readRange(record, start, length, out);
    }

    private EntryRecord required(String key) {
        EntryRecord record = record(Keys.encode(key));
        if (record == null) {
            throw new EntryNotFoundException("space " + space.name() + " version " + version + " has no entry "
                    + Keys.printable(key));
        }
        return record;
    }

    /** A page of the listing {@code query} describes. */
    public ListPage list(ListQuery query) {
        byte[] prefix = query.prefix().getBytes(StandardCharsets.UTF_8);
        byte[] delimiter = query.delimiter() == null ? null : query.delimiter().getBytes(StandardCharsets.UTF_8);
        byte[] start = prefix;
        if (query.startAfter() != null) {
            byte[] after = query.startAfter().getBytes(StandardCharsets.UTF_8);
            byte[] next = delimiter != null && endsWith(after, delimiter) ? Keys.prefixSuccessor(after) : successor(after);
            if (next == null) {
                return new ListPage(List.of(), List.of(), null);
            }
            if (Keys.ORDER.compare(next, start) > 0) {
                start = next;
            }
        }
        List<Entry> entries = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        TreeCursor cursor = new TreeCursor(root, nodes);
        cursor.seek(start);
        String last = null;
        while (!cursor.atEnd() && Keys.startsWith(cursor.key(), prefix)) {
            if (entries.size() + prefixes.size() == query.limit()) {
                return new ListPage(entries, prefixes, last);
            }
            byte[] key = cursor.key();
            int at = delimiter == null ? -1 : indexOf(key, delimiter, prefix.length);
            if (at >= 0) {
                byte[] common = Arrays.copyOf(key, at + delimiter.length);
                last = Keys.decode(common);
                prefixes.add(last);
                byte[] past = Keys.prefixSuccessor(common);
                if (past == null) {
                    break;
                }
                cursor.seek(past);
            } else {
                last = Keys.decode(key);
                entries.add(toEntry(last, (EntryRecord) cursor.value()));
                cursor.next();
            }
        }
        return new ListPage(entries, prefixes, null);
    }

    /** Every entry whose key starts with {@code prefix}, in key order, read lazily. */
    public Iterable<Entry> entries(String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        return () -> new Iterator<>() {
            private final TreeCursor cursor = seekTo(p);

            private TreeCursor seekTo(byte[] key) {
                TreeCursor c = new TreeCursor(root, nodes);
                c.seek(key);
                return c;
            }

            @Override
            public boolean hasNext() {
                return !cursor.atEnd() && Keys.startsWith(cursor.key(), p);
            }

            @Override
            public Entry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Entry entry = toEntry(Keys.decode(cursor.key()), (EntryRecord) cursor.value());
                cursor.next();
                return entry;
            }
        };
    }

    static Entry toEntry(String key, EntryRecord r) {
        return new Entry(key, r.size(), r.contentType(), r.metadata(), r.etagHex(), r.version(),
                Instant.ofEpochMilli(r.modifiedMillis()), r.key() != null);
    }

    private static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1); // the least key greater than key: key followed by 0x00
    }

    private static boolean endsWith(byte[] key, byte[] suffix) {
        return key.length >= suffix.length
                && Arrays.equals(key, key.length - suffix.length, key.length, suffix, 0, suffix.length);
    }

    private static int indexOf(byte[] key, byte[] needle, int from) {
        outer:
        for (int i = from; i <= key.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (key[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Whether a record's stored bytes hash to its etag. */
    static boolean etagMatches(EntryRecord record, byte[] stored) {
        return Arrays.equals(Blake2b256.hash(stored), record.etag());
    }

    @Override
    public String toString() {
        return "Snapshot[" + space.owner() + "/" + space.name() + " v" + version + ", " + entryCount() + " entries]";
    }

}
