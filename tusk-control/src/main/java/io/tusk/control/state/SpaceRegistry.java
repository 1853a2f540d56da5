package io.tusk.control.state;

import io.tusk.control.api.BlobStatus;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.OwnedSpaces;
import io.tusk.control.api.SpaceHead;
import io.tusk.control.state.StateCodec.Codec;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.Hex32;
import io.tusk.core.metadata.BlobId;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The spaces concern (docs/spaces.md): each space's head lives here, the manifests are blobs. Commands
 * {@code createSpace} and {@code commitSpace}, the latter a compare-and-swap on the head's version: of two commits
 * built on the same version exactly one is accepted, the other is refused {@code VERSION_CONFLICT} and changes
 * nothing. A head only ever names a manifest blob that is certified when the commit is applied, so a client that
 * crashes halfway through a commit leaves the head where it was.
 *
 * <p>A small commit may instead ride on the control plane as an <em>inline version</em> ({@link InlineVersions}): one
 * command, no blob to upload and certify first. The space holds a bounded number of them (count and bytes) until
 * the owner folds them into a manifest blob ({@code fold}) or commits a manifest blob, which drops them all.
 *
 * <p>Tables {@code spaces} (owner | name → {@link SpaceEntry}), so an owner's spaces come by name from one prefix
 * scan; {@code space-inline} ({@link InlineVersions}); {@code space-counts} (owner → number of spaces), so the
 * per-owner limit costs one read, not a scan; {@code space-total} (the number of spaces in the network: an O(1)
 * figure for metrics and the console).
 */
final class SpaceRegistry {
    /** Space names: URL- and file-safe, unique per owner; ASCII, so byte order is name order. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    /** Most spaces one account may own: bounds the state an account can make the control plane keep. */
    static final int MAX_SPACES_PER_OWNER = 10_000;

    /** A space's key: the owner's 32 address bytes, then the name's bytes. */
    record SpaceKey(String owner, String name) {}

    private static final Codec<SpaceKey> KEY = new Codec<>() {
        @Override
        public byte[] encode(SpaceKey key) {
            return StateCodec.concat(StateCodec.ID.encode(key.owner()), key.name().getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public SpaceKey decode(byte[] bytes) {
            return new SpaceKey(Hex32.format(Arrays.copyOf(bytes, 32)),
                    new String(bytes, 32, bytes.length - 32, StandardCharsets.US_ASCII));
        }
    };

    private final Committees committees;
    private final BlobRegistry blobs;
    private final Table<SpaceKey, SpaceEntry> heads;
    private final InlineVersions inlineVersions;
    private final Table<String, Long> counts;
    private final Table<Integer, Long> total;
    private static final int TOTAL = 0;

    SpaceRegistry(Committees committees, BlobRegistry blobs, StateView view) {
        this.committees = committees;
        this.blobs = blobs;
        this.heads = new Table<>(view, "spaces", KEY, SpaceEntry::codec);
        this.inlineVersions = new InlineVersions(view);
        this.counts = new Table<>(view, "space-counts", StateCodec.ID, StateCodec.U64);
        this.total = new Table<>(view, "space-total", StateCodec.U32, StateCodec.U64);
    }

    void createSpace(CommandContext ctx, Command.CreateSpace c) throws Refusal {
        checkName(c.name());
        SpaceKey key = new SpaceKey(ctx.sender, c.name());
        if (heads.contains(key)) {
            throw new Refusal(ErrorReason.ALREADY_EXISTS, ctx.sender + " already has a space named '" + c.name() + "'");
        }
        long owned = counts.find(ctx.sender).orElse(0L);
        if (owned >= MAX_SPACES_PER_OWNER) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, ctx.sender + " owns " + MAX_SPACES_PER_OWNER
                    + " spaces, the most an account may own");
        }
        ctx.commit(0);
        int epoch = committees.epoch();
        heads.put(key, new SpaceEntry(new SpaceHead(ctx.sender, c.name(), c.encrypted(), 0, null, 0, epoch), 0));
        counts.put(ctx.sender, owned + 1);
        total.put(TOTAL, total.find(TOTAL).orElse(0L) + 1);
        ctx.emit(new Event.SpaceCreated(ctx.nextCursor(), epoch, ctx.sender, c.name(), c.encrypted()));
    }

    void commitSpace(CommandContext ctx, Command.CommitSpace c) throws Refusal {
        SpaceCommit commit = SpaceCommit.of(c);
        checkName(c.name());
        SpaceKey key = new SpaceKey(ctx.sender, c.name());
        SpaceEntry entry = heads.get(key);
        if (entry == null) {
            throw new Refusal(ErrorReason.TARGET_NOT_FOUND, ctx.sender + " has no space named '" + c.name() + "'");
        }
        switch (commit) {
            case SpaceCommit.Blob blob -> commitBlob(ctx, key, entry.head(), c, blob.manifest());
            case SpaceCommit.Inline inline -> commitInline(ctx, key, entry, c, inline);
            case SpaceCommit.Fold fold -> fold(ctx, key, entry, c, fold.manifest());
        }
    }

    /** A new version whose manifest is a certified blob; it holds the inline versions before it, so they go. */
    private void commitBlob(CommandContext ctx, SpaceKey key, SpaceHead head, Command.CommitSpace c, BlobId manifest)
            throws Refusal {
        checkNextVersion(head, c);
        requireCertified(manifest);
        ctx.commit(0);
        long version = head.version() + 1;
        if (head.inlineCount() > 0) {
            inlineVersions.dropUpTo(key, head.version());
        }
        heads.put(key, new SpaceEntry(new SpaceHead(head.owner(), head.name(), head.encrypted(), version,
                manifest.toString(), c.commitTimeMillis(), head.createdEpoch(), version, null), 0));
        ctx.emit(new Event.SpaceCommitted(ctx.nextCursor(), committees.epoch(), head.owner(), head.name(), version,
                manifest.toString(), c.commitTimeMillis(), false));
    }

    /** A new version the control plane holds itself, within the space's limits; the manifest stays. */
    private void commitInline(CommandContext ctx, SpaceKey key, SpaceEntry entry, Command.CommitSpace c,
                              SpaceCommit.Inline inline) throws Refusal {
        SpaceHead head = entry.head();
        checkNextVersion(head, c);
        if (head.inlineCount() >= Command.CommitSpace.MAX_INLINE_VERSIONS) {
            throw new Refusal(ErrorReason.INLINE_VERSIONS_FULL, "space '" + head.name() + "' holds "
                    + head.inlineCount() + " inline versions, the most it may: fold them into a manifest blob or"
                    + " commit a manifest blob");
        }
        long bytes = entry.inlineBytes() + inline.size();
        if (bytes > Command.CommitSpace.MAX_INLINE_TOTAL_BYTES) {
            throw new Refusal(ErrorReason.INLINE_VERSIONS_FULL, "space '" + head.name() + "' holds "
                    + entry.inlineBytes() + " bytes of inline versions; " + inline.size() + " more would pass the "
                    + Command.CommitSpace.MAX_INLINE_TOTAL_BYTES + " it may hold: fold them into a manifest blob or"
                    + " commit a manifest blob");
        }
        ctx.commit(0);
        long version = head.version() + 1;
        inlineVersions.put(key, version, c.commitTimeMillis(), inline);
        heads.put(key, new SpaceEntry(new SpaceHead(head.owner(), head.name(), head.encrypted(), version,
                head.manifestBlobId(), c.commitTimeMillis(), head.createdEpoch(), head.manifestVersion(), null),
                bytes));
        ctx.emit(new Event.SpaceCommitted(ctx.nextCursor(), committees.epoch(), head.owner(), head.name(), version,
                head.manifestBlobId(), c.commitTimeMillis(), true));
    }

    /**
     * The inline versions up to {@code c.expectedVersion()} are in the certified manifest blob: it becomes the
     * head's manifest and they go. Inline versions after it stay, so a fold never races the commits after it.
     */
    private void fold(CommandContext ctx, SpaceKey key, SpaceEntry entry, Command.CommitSpace c, BlobId manifest)
            throws Refusal {
        SpaceHead head = entry.head();
        long version = c.expectedVersion();
        if (version <= head.manifestVersion()) {
            throw new Refusal(ErrorReason.VERSION_CONFLICT, "space '" + head.name() + "' has version " + version
                    + " folded already: its manifest is at version " + head.manifestVersion());
        }
        if (version > head.version()) {
            throw new Refusal(ErrorReason.VERSION_CONFLICT, "space '" + head.name() + "' has no version " + version
                    + " yet: its head is at version " + head.version());
        }
        requireCertified(manifest);
        InlineVersions.Stored folded = inlineVersions.get(key, version);
        if (folded == null) { // manifestVersion < version <= head.version: the state holds it
            throw new IllegalStateException("space " + key + " lacks its inline version " + version);
        }
        if (c.commitTimeMillis() != folded.commitTimeMillis()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "commitTimeMillis " + c.commitTimeMillis()
                    + " is not the commit time of version " + version + ", " + folded.commitTimeMillis()
                    + ": a fold's manifest is that version's");
        }
        ctx.commit(0);
        long bytes = entry.inlineBytes() - inlineVersions.dropUpTo(key, version);
        heads.put(key, new SpaceEntry(new SpaceHead(head.owner(), head.name(), head.encrypted(), head.version(),
                manifest.toString(), head.commitTimeMillis(), head.createdEpoch(), version, null), bytes));
        ctx.emit(new Event.SpaceFolded(ctx.nextCursor(), committees.epoch(), head.owner(), head.name(), version,
                manifest.toString()));
    }

    /** The compare-and-swap on the head's version, and commit time never going back. */
    private static void checkNextVersion(SpaceHead head, Command.CommitSpace c) throws Refusal {
        if (c.expectedVersion() != head.version()) {
            throw new Refusal(ErrorReason.VERSION_CONFLICT, "space '" + c.name() + "' is at version " + head.version()
                    + ", not " + c.expectedVersion() + ": another commit won; re-apply the changes on version "
                    + head.version());
        }
        if (c.commitTimeMillis() < head.commitTimeMillis()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "commitTimeMillis " + c.commitTimeMillis()
                    + " is before the head's " + head.commitTimeMillis() + " (version " + head.version() + ")");
        }
    }

    private void requireCertified(BlobId manifest) throws Refusal {
        if (!certified(blobs.info(manifest).status())) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "manifest blob " + manifest
                    + " is not certified (or expired, deleted or invalid): a head only names available manifests");
        }
    }

    private static boolean certified(BlobStatus status) {
        return switch (status) {
            case BlobStatus.Permanent p -> p.isCertified();
            case BlobStatus.Deletable d -> d.initialCertifiedEpoch() != null;
            default -> false;
        };
    }

    private static void checkName(String name) throws Refusal {
        if (!NAME.matcher(name).matches()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "space name '" + Text.abbreviate(name)
                    + "' must be 1 to 64 of A-Z a-z 0-9 . _ - and not start with '.'");
        }
    }

    // ------------------------------------------------------------------------------------------------ queries

    /**
     * The head, with its inline versions after {@code inlineAfter} (oldest first; none if it is negative).
     * {@code owner} may be in any form {@link Address#parse} takes; a name no space can have finds nothing.
     */
    Optional<SpaceHead> head(String owner, String name, long inlineAfter) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        SpaceKey key = new SpaceKey(Address.parse(owner).toString(), name);
        return heads.find(key).map(entry -> {
            SpaceHead h = entry.head();
            if (inlineAfter < 0 || inlineAfter >= h.version() || h.inlineCount() == 0) {
                return h;
            }
            return new SpaceHead(h.owner(), h.name(), h.encrypted(), h.version(), h.manifestBlobId(),
                    h.commitTimeMillis(), h.createdEpoch(), h.manifestVersion(), inlineVersions.after(key, inlineAfter));
        });
    }

    /** Spaces in the network, as committed (lock-free, for metrics). */
    long count() {
        Long value = total.getCommitted(TOTAL);
        return value == null ? 0 : value;
    }

    /** All of the owner's spaces by name (at most {@value #MAX_SPACES_PER_OWNER}). */
    OwnedSpaces owned(String owner) {
        String address = Address.parse(owner).toString();
        List<SpaceHead> out = new ArrayList<>();
        heads.scanRaw(StateCodec.ID.encode(address), null, (key, value) -> {
            SpaceKey k = KEY.decode(key);
            out.add(SpaceEntry.codec(k).decode(value).head());
            return true;
        });
        return new OwnedSpaces(address, out);
    }
}
