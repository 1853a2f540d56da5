package io.tusk.control.state;

import io.tusk.control.api.BucketInfo;
import io.tusk.control.api.BucketNames;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.OwnedBuckets;
import io.tusk.control.state.StateCodec.Codec;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The buckets concern (docs/s3.md): S3 bucket names, unique in the network, each owned by the account that claimed
 * it. Only the name lives here; the bucket's objects, versions and settings are in the owner's space of that name.
 * Commands {@code createBucket} and {@code deleteBucket} (by the owner); a deleted name may be claimed again.
 *
 * <p>Tables {@code buckets} (name → owner, creation time and epoch), {@code buckets-by-owner} (owner | name, so an owner's buckets
 * come by name from one prefix scan) and {@code bucket-counts} (owner → number of buckets, so the per-owner limit
 * costs one read).
 */
final class BucketRegistry {
    /** Most buckets one account may own: bounds the state an account can make the control plane keep. */
    static final int MAX_BUCKETS_PER_OWNER = 1_000;

    /** A bucket name's bytes: S3 names are lower-case ASCII ({@link BucketNames}), so byte order is name order. */
    private static final Codec<String> NAME = new Codec<>() {
        @Override
        public byte[] encode(String name) {
            return name.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
    };

    /** owner [32] | created millis i64 | created epoch i32; the name is the key. */
    private static Codec<BucketInfo> value(String name) {
        return new Codec<>() {
            @Override
            public byte[] encode(BucketInfo b) {
                return ByteBuffer.allocate(32 + 8 + 4).put(StateCodec.ID.encode(b.owner())).putLong(b.createdMillis())
                        .putInt(b.createdEpoch()).array();
            }

            @Override
            public BucketInfo decode(byte[] bytes) {
                ByteBuffer in = ByteBuffer.wrap(bytes);
                byte[] owner = new byte[32];
                in.get(owner);
                return new BucketInfo(name, StateCodec.ID.decode(owner), in.getLong(), in.getInt());
            }
        };
    }

    private final Committees committees;
    private final Table<String, BucketInfo> buckets;
    private final Index byOwner;
    private final Table<String, Long> counts;

    BucketRegistry(Committees committees, StateView view) {
        this.committees = committees;
        this.buckets = new Table<>(view, "buckets", NAME, BucketRegistry::value);
        this.byOwner = new Index(view, "buckets-by-owner", StateCodec.ID, NAME);
        this.counts = new Table<>(view, "bucket-counts", StateCodec.ID, StateCodec.U64);
    }

    void createBucket(CommandContext ctx, Command.CreateBucket c) throws Refusal {
        Optional<String> problem = BucketNames.problem(c.name());
        if (problem.isPresent()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "bucket name '" + Text.abbreviate(c.name()) + "': "
                    + problem.get());
        }
        Optional<BucketInfo> taken = buckets.find(c.name());
        if (taken.isPresent()) {
            throw new Refusal(ErrorReason.ALREADY_EXISTS, "bucket '" + c.name() + "' is taken by " + taken.get().owner());
        }
        if (c.createdMillis() < 0) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "createdMillis must not be negative, got " + c.createdMillis());
        }
        long owned = counts.find(ctx.sender).orElse(0L);
        if (owned >= MAX_BUCKETS_PER_OWNER) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, ctx.sender + " owns " + MAX_BUCKETS_PER_OWNER
                    + " buckets, the most an account may own");
        }
        ctx.commit(0);
        int epoch = committees.epoch();
        buckets.put(c.name(), new BucketInfo(c.name(), ctx.sender, c.createdMillis(), epoch));
        byOwner.add(ctx.sender, c.name());
        counts.put(ctx.sender, owned + 1);
        ctx.emit(new Event.BucketCreated(ctx.nextCursor(), epoch, ctx.sender, c.name()));
    }

    void deleteBucket(CommandContext ctx, Command.DeleteBucket c) throws Refusal {
        BucketInfo bucket = BucketNames.problem(c.name()).isPresent() ? null : buckets.find(c.name()).orElse(null);
        if (bucket == null) {
            throw new Refusal(ErrorReason.TARGET_NOT_FOUND, "there is no bucket '" + Text.abbreviate(c.name()) + "'");
        }
        if (!bucket.owner().equals(ctx.sender)) {
            throw new Refusal(ErrorReason.NOT_OWNER, "bucket '" + c.name() + "' belongs to " + bucket.owner() + ", not "
                    + ctx.sender);
        }
        ctx.commit(0);
        buckets.delete(c.name());
        byOwner.remove(bucket.owner(), bucket.name());
        long owned = counts.find(bucket.owner()).orElse(1L);
        if (owned <= 1) {
            counts.delete(bucket.owner());
        } else {
            counts.put(bucket.owner(), owned - 1);
        }
        ctx.emit(new Event.BucketDeleted(ctx.nextCursor(), committees.epoch(), bucket.owner(), bucket.name()));
    }

    // ------------------------------------------------------------------------------------------------ queries

    /** A name no bucket can have (not ASCII, too long...) finds nothing. */
    Optional<BucketInfo> bucket(String name) {
        if (BucketNames.problem(name).isPresent()) {
            return Optional.empty();
        }
        return buckets.find(name);
    }

    /** All of the owner's buckets by name (at most {@value #MAX_BUCKETS_PER_OWNER}); {@code owner} in any form
     *  {@link Address#parse} takes. */
    OwnedBuckets ownedBy(String owner) {
        String address = Address.parse(owner).toString();
        List<BucketInfo> out = new ArrayList<>();
        for (String name : byOwner.members(address, null, MAX_BUCKETS_PER_OWNER)) {
            buckets.find(name).ifPresent(out::add);
        }
        return new OwnedBuckets(address, out);
    }
}
