package io.tusk.control.state;

import io.tusk.control.api.BucketInfo;
import io.tusk.control.api.BucketNames;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.OwnedBuckets;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The buckets concern (docs/s3.md): S3 bucket names, unique in the network, each owned by the account that claimed
 * it. Only the name lives here; the bucket's objects, versions and settings are in the owner's space of that name.
 * Commands {@code createBucket} and {@code deleteBucket} (by the owner); a deleted name may be claimed again.
 */
final class BucketRegistry {
    /** Most buckets one account may own: bounds the state an account can make the control plane keep. */
    static final int MAX_BUCKETS_PER_OWNER = 1_000;

    private final Committees committees;
    // INV: keyed by bucket name
    private final TreeMap<String, BucketInfo> buckets = new TreeMap<>();
    // INV: the same buckets keyed by owner + "/" + name (an address has no '/')
    private final TreeMap<String, BucketInfo> byOwner = new TreeMap<>();

    BucketRegistry(Committees committees) {
        this.committees = committees;
    }

    void createBucket(CommandContext ctx, Command.CreateBucket c) throws Refusal {
        Optional<String> problem = BucketNames.problem(c.name());
        if (problem.isPresent()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "bucket name '" + Text.abbreviate(c.name()) + "': "
                    + problem.get());
        }
        BucketInfo taken = buckets.get(c.name());
        if (taken != null) {
            throw new Refusal(ErrorReason.ALREADY_EXISTS, "bucket '" + c.name() + "' is taken by " + taken.owner());
        }
        if (c.createdMillis() < 0) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "createdMillis must not be negative, got " + c.createdMillis());
        }
        if (owned(ctx.sender).size() >= MAX_BUCKETS_PER_OWNER) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, ctx.sender + " owns " + MAX_BUCKETS_PER_OWNER
                    + " buckets, the most an account may own");
        }
        ctx.commit(0);
        int epoch = committees.epoch();
        put(new BucketInfo(c.name(), ctx.sender, c.createdMillis(), epoch));
        ctx.emit(new Event.BucketCreated(ctx.nextCursor(), epoch, ctx.sender, c.name()));
    }

    void deleteBucket(CommandContext ctx, Command.DeleteBucket c) throws Refusal {
        BucketInfo bucket = buckets.get(c.name());
        if (bucket == null) {
            throw new Refusal(ErrorReason.TARGET_NOT_FOUND, "there is no bucket '" + Text.abbreviate(c.name()) + "'");
        }
        if (!bucket.owner().equals(ctx.sender)) {
            throw new Refusal(ErrorReason.NOT_OWNER, "bucket '" + c.name() + "' belongs to " + bucket.owner() + ", not "
                    + ctx.sender);
        }
        ctx.commit(0);
        buckets.remove(c.name());
        byOwner.remove(ownerKey(bucket.owner(), bucket.name()));
        ctx.emit(new Event.BucketDeleted(ctx.nextCursor(), committees.epoch(), bucket.owner(), bucket.name()));
    }

    private void put(BucketInfo bucket) {
        buckets.put(bucket.name(), bucket);
        byOwner.put(ownerKey(bucket.owner(), bucket.name()), bucket);
    }

    private static String ownerKey(String owner, String name) {
        return owner + "/" + name;
    }

    // ------------------------------------------------------------------------------------------------ queries

    Optional<BucketInfo> bucket(String name) {
        return Optional.ofNullable(buckets.get(name));
    }

    /** {@code owner} may be in any form {@link Address#parse} takes. */
    OwnedBuckets ownedBy(String owner) {
        String address = Address.parse(owner).toString();
        return new OwnedBuckets(address, owned(address));
    }

    private List<BucketInfo> owned(String owner) {
        return List.copyOf(byOwner.subMap(owner + "/", owner + "0").values()); // '0' is the character after '/'
    }

    Collection<BucketInfo> all() {
        return buckets.values();
    }

    void restore(List<BucketInfo> all) {
        buckets.clear();
        byOwner.clear();
        all.forEach(this::put);
    }

    int size() {
        return buckets.size();
    }
}
