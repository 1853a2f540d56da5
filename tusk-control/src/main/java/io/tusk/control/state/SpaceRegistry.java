package io.tusk.control.state;

import io.tusk.control.api.BlobStatus;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.OwnedSpaces;
import io.tusk.control.api.SpaceHead;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.core.metadata.BlobId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The spaces concern (docs/spaces.md): only each space's head lives here, the manifests are blobs. Commands
 * {@code createSpace} and {@code commitSpace}, the latter a compare-and-swap on the head's version: of two commits
 * built on the same version exactly one is accepted, the other is refused {@code VERSION_CONFLICT} and changes
 * nothing. A head only ever names a manifest blob that is certified when the commit is applied, so a client that
 * crashes halfway through a commit leaves the head where it was.
 */
final class SpaceRegistry {
    /** Space names: URL- and file-safe, unique per owner. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    /** Most spaces one account may own: bounds the state an account can make the control plane keep. */
    static final int MAX_SPACES_PER_OWNER = 10_000;

    private final Committees committees;
    private final BlobRegistry blobs;
    // INV: keyed by owner address (canonical text) + "/" + name; both have no '/'.
    private final TreeMap<String, SpaceHead> heads = new TreeMap<>();

    SpaceRegistry(Committees committees, BlobRegistry blobs) {
        this.committees = committees;
        this.blobs = blobs;
    }

    void createSpace(CommandContext ctx, Command.CreateSpace c) throws Refusal {
        checkName(c.name());
        String key = key(ctx.sender, c.name());
        if (heads.containsKey(key)) {
            throw new Refusal(ErrorReason.ALREADY_EXISTS, ctx.sender + " already has a space named '" + c.name() + "'");
        }
        if (ownedBy(ctx.sender).size() >= MAX_SPACES_PER_OWNER) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, ctx.sender + " owns " + MAX_SPACES_PER_OWNER
                    + " spaces, the most an account may own");
        }
        ctx.commit(0);
        int epoch = committees.epoch();
        heads.put(key, new SpaceHead(ctx.sender, c.name(), c.encrypted(), 0, null, 0, epoch));
        ctx.emit(new Event.SpaceCreated(ctx.nextCursor(), epoch, ctx.sender, c.name(), c.encrypted()));
    }

    void commitSpace(CommandContext ctx, Command.CommitSpace c) throws Refusal {
        checkName(c.name());
        SpaceHead head = heads.get(key(ctx.sender, c.name()));
        if (head == null) {
            throw new Refusal(ErrorReason.TARGET_NOT_FOUND, ctx.sender + " has no space named '" + c.name() + "'");
        }
        if (c.expectedVersion() != head.version()) {
            throw new Refusal(ErrorReason.VERSION_CONFLICT, "space '" + c.name() + "' is at version " + head.version()
                    + ", not " + c.expectedVersion() + ": another commit won; re-apply the changes on version "
                    + head.version());
        }
        BlobId manifest;
        try {
            manifest = BlobId.parse(c.manifestBlobId());
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "manifestBlobId '" + Text.abbreviate(c.manifestBlobId())
                    + "' is not a blob ID: " + e.getMessage());
        }
        if (c.commitTimeMillis() < head.commitTimeMillis()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "commitTimeMillis " + c.commitTimeMillis()
                    + " is before the head's " + head.commitTimeMillis() + " (version " + head.version() + ")");
        }
        if (!certified(blobs.info(manifest).status())) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "manifest blob " + manifest
                    + " is not certified (or expired, deleted or invalid): a head only names available manifests");
        }
        ctx.commit(0);
        long version = head.version() + 1;
        heads.put(key(ctx.sender, c.name()), new SpaceHead(head.owner(), head.name(), head.encrypted(), version,
                manifest.toString(), c.commitTimeMillis(), head.createdEpoch()));
        ctx.emit(new Event.SpaceCommitted(ctx.nextCursor(), committees.epoch(), head.owner(), head.name(), version,
                manifest.toString(), c.commitTimeMillis()));
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

    private static String key(String owner, String name) {
        return owner + "/" + name;
    }

    // ------------------------------------------------------------------------------------------------ queries

    /** {@code owner} may be in any form {@link Address#parse} takes. */
    Optional<SpaceHead> head(String owner, String name) {
        return Optional.ofNullable(heads.get(key(Address.parse(owner).toString(), name)));
    }

    OwnedSpaces owned(String owner) {
        return new OwnedSpaces(Address.parse(owner).toString(), ownedBy(Address.parse(owner).toString()));
    }

    private List<SpaceHead> ownedBy(String owner) {
        return new ArrayList<>(heads.subMap(owner + "/", owner + "0").values()); // '0' is the character after '/'
    }

    Collection<SpaceHead> all() {
        return heads.values();
    }

    void restore(List<SpaceHead> all) {
        heads.clear();
        all.forEach(h -> heads.put(key(h.owner(), h.name()), h));
    }

    int size() {
        return heads.size();
    }
}
