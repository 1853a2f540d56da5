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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The spaces concern (docs/spaces.md): only each space's head lives here, the manifests are blobs. Commands
 * {@code createSpace} and {@code commitSpace}, the latter a compare-and-swap on the head's version: of two commits
 * built on the same version exactly one is accepted, the other is refused {@code VERSION_CONFLICT} and changes
 * nothing. A head only ever names a manifest blob that is certified when the commit is applied, so a client that
 * crashes halfway through a commit leaves the head where it was.
 *
 * <p>Tables {@code spaces} (owner | name → {@link #HEAD}), so an owner's spaces come by name from one prefix scan, and
 * {@code space-counts} (owner → number of spaces), so the per-owner limit costs one read, not a scan, and
 * {@code space-total} (the number of spaces in the network: an O(1) figure for metrics and the console).
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

    /**
     * encrypted u8 | version i64 | commit time i64 | created epoch i32 | manifest blob ID [32], absent at version 0;
     * the owner and name are the key.
     */
    private static Codec<SpaceHead> head(SpaceKey key) {
        return new Codec<>() {
            @Override
            public byte[] encode(SpaceHead h) {
                ByteBuffer out = ByteBuffer.allocate(1 + 8 + 8 + 4 + (h.manifestBlobId() == null ? 0 : BlobId.LENGTH))
                        .put((byte) (h.encrypted() ? 1 : 0)).putLong(h.version()).putLong(h.commitTimeMillis())
                        .putInt(h.createdEpoch());
                if (h.manifestBlobId() != null) {
                    out.put(StateCodec.BLOB_ID.encode(h.manifestBlobId()));
                }
                return out.array();
            }

            @Override
            public SpaceHead decode(byte[] bytes) {
                ByteBuffer in = ByteBuffer.wrap(bytes);
                boolean encrypted = in.get() != 0;
                long version = in.getLong();
                long commitTime = in.getLong();
                int createdEpoch = in.getInt();
                String manifest = null;
                if (in.hasRemaining()) {
                    byte[] id = new byte[BlobId.LENGTH];
                    in.get(id);
                    manifest = StateCodec.BLOB_ID.decode(id);
                }
                return new SpaceHead(key.owner(), key.name(), encrypted, version, manifest, commitTime, createdEpoch);
            }
        };
    }

    private final Committees committees;
    private final BlobRegistry blobs;
    private final Table<SpaceKey, SpaceHead> heads;
    private final Table<String, Long> counts;
    private final Table<Integer, Long> total;
    private static final int TOTAL = 0;

    SpaceRegistry(Committees committees, BlobRegistry blobs, StateView view) {
        this.committees = committees;
        this.blobs = blobs;
        this.heads = new Table<>(view, "spaces", KEY, SpaceRegistry::head);
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
        heads.put(key, new SpaceHead(ctx.sender, c.name(), c.encrypted(), 0, null, 0, epoch));
        counts.put(ctx.sender, owned + 1);
        total.put(TOTAL, total.find(TOTAL).orElse(0L) + 1);
        ctx.emit(new Event.SpaceCreated(ctx.nextCursor(), epoch, ctx.sender, c.name(), c.encrypted()));
    }

    void commitSpace(CommandContext ctx, Command.CommitSpace c) throws Refusal {
        checkName(c.name());
        SpaceKey key = new SpaceKey(ctx.sender, c.name());
        SpaceHead head = heads.get(key);
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
        heads.put(key, new SpaceHead(head.owner(), head.name(), head.encrypted(), version, manifest.toString(),
                c.commitTimeMillis(), head.createdEpoch()));
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

    // ------------------------------------------------------------------------------------------------ queries

    /** {@code owner} may be in any form {@link Address#parse} takes; a name no space can have finds nothing. */
    Optional<SpaceHead> head(String owner, String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return heads.find(new SpaceKey(Address.parse(owner).toString(), name));
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
            out.add(head(k).decode(value));
            return true;
        });
        return new OwnedSpaces(address, out);
    }
}
