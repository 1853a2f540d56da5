package io.tusk.control.state;

import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.SharedBlob;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.messages.ObjectId;

import java.util.Optional;

/**
 * The shared blobs concern (Walrus's {@code shared_blob} module: a "tip jar" that keeps a blob alive): commands
 * {@code shareBlob}, {@code fundSharedBlob}, {@code extendSharedBlob}. Sharing moves the sender's blob object into a
 * new shared blob object, which becomes its owner ({@link BlobRegistry#wrap}), so the owner-only rules (delete, burn,
 * attributes) no longer reach it; anyone may add funds, and anyone may extend the blob, paid from the funds only (as
 * Walrus's {@code shared_blob::extend}, which spends the funds and never the caller's coins). Events: {@code blobShared}
 * (it names the new object) and an extension's {@code blobCertified}. Table {@code shared-blobs} (shared object ID → {@link Entry}); shared blobs are
 * never removed, as in Walrus (a {@code SharedBlob} has no destructor).
 */
final class SharedBlobs {
    private final BlobRegistry blobs;
    private final java.util.function.IntSupplier epoch;
    private final Table<String, Entry> shared;

    /** What the state keeps of a shared blob: the wrapped object's ID and the funds. */
    record Entry(String id, String blobObjectId, long funds) {
    }

    SharedBlobs(BlobRegistry blobs, java.util.function.IntSupplier epoch, StateView view) {
        this.blobs = blobs;
        this.epoch = epoch;
        this.shared = new Table<>(view, "shared-blobs", StateCodec.ID, StateCodec.json(Entry.class));
    }

    /** Wraps the sender's blob object in a new shared blob holding {@code amount} of the sender's balance. */
    void share(CommandContext ctx, Command.ShareBlob c) throws Refusal {
        if (c.amount() < 0) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "amount must not be negative, got " + c.amount());
        }
        blobs.ownedUnexpiredBlob(c.objectId(), ctx.sender); // checked before anything changes
        ctx.requireBalance(c.amount(), "funding the shared blob");
        String id = ctx.objectId(0).toString();
        BlobEntry wrapped = blobs.wrap(c.objectId(), ctx.sender, id);
        shared.put(id, new Entry(id, wrapped.objectId(), c.amount()));
        ctx.commit(-c.amount());
        ctx.emit(new Event.BlobShared(ctx.nextCursor(), epoch.getAsInt(), id, wrapped.objectId(), wrapped.blobId(),
                c.amount()));
    }

    void fund(CommandContext ctx, Command.FundSharedBlob c) throws Refusal {
        Entry entry = existing(c.sharedBlobId());
        if (c.amount() < 1) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "amount must be at least 1, got " + c.amount());
        }
        long funds;
        try {
            funds = Math.addExact(entry.funds(), c.amount());
        } catch (ArithmeticException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "shared blob " + entry.id() + "'s funds would overflow");
        }
        ctx.requireBalance(c.amount(), "funding shared blob " + entry.id());
        shared.put(entry.id(), new Entry(entry.id(), entry.blobObjectId(), funds));
        ctx.commit(-c.amount());
    }

    void extend(CommandContext ctx, Command.ExtendSharedBlob c) throws Refusal {
        Entry entry = existing(c.sharedBlobId());
        BlobRegistry.Extension extension = blobs.planExtension(entry.blobObjectId(), c.epochs());
        if (entry.funds() < extension.cost()) {
            throw new Refusal(ErrorReason.INSUFFICIENT_BALANCE, "extending " + extension.units() + " units by "
                    + c.epochs() + " epochs costs " + extension.cost() + " but shared blob " + entry.id() + " has "
                    + entry.funds() + " in funds");
        }
        shared.put(entry.id(), new Entry(entry.id(), entry.blobObjectId(), entry.funds() - extension.cost()));
        ctx.commit(0); // the sender pays nothing: anyone may keep a shared blob alive from its funds
        blobs.extend(ctx, extension);
    }

    /** The shared blob, with its blob object as it is now; {@code id} in any form {@link ObjectId#parse} takes. */
    Optional<SharedBlob> sharedBlob(String id) {
        return shared.find(ObjectId.parse(id).toString()).map(e -> new SharedBlob(e.id(),
                BlobRegistry.toBlobObject(blobs.entry(e.blobObjectId())), e.funds()));
    }

    private Entry existing(String idText) throws Refusal {
        String id;
        try {
            id = ObjectId.parse(idText).toString();
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "sharedBlobId: " + e.getMessage());
        }
        return shared.find(id).orElseThrow(() -> new Refusal(ErrorReason.TARGET_NOT_FOUND, "no shared blob " + id));
    }
}
