package io.tusk.s3;

import io.tusk.control.api.BucketInfo;
import io.tusk.control.api.BucketNames;
import io.tusk.control.api.Command;
import io.tusk.control.client.ControlClient;
import io.tusk.core.api.ErrorReason;
import io.tusk.http.ApiException;
import io.tusk.spaces.Space;
import io.tusk.spaces.SpaceExistsException;
import io.tusk.spaces.Spaces;
import io.tusk.spaces.SpacesOptions;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bucket names (the control plane's buckets concern: unique in the network, owned by the account that claimed them)
 * and the spaces behind them. Lookups are cached for {@link #LOOKUP_MILLIS} so a burst of requests costs one query;
 * this server's own creations and deletions are seen at once. Thread-safe.
 */
final class Buckets implements AutoCloseable {
    /** How long a name's owner (or its absence) is taken as known. */
    static final long LOOKUP_MILLIS = 2_000;

    private final Map<String, S3Account> accountsByAddress = new LinkedHashMap<>();
    private final Map<String, Spaces> spacesByAddress = new LinkedHashMap<>();
    private final Spaces anyReader;
    private final ControlClient control;
    private final S3Config config;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Bucket> bucket, long until) {
    }

    Buckets(List<S3Account> accounts, S3Config config, Clock clock) {
        if (accounts.isEmpty()) {
            throw new IllegalArgumentException("an S3 server needs at least one account");
        }
        this.config = config;
        this.clock = clock;
        SpacesOptions options = SpacesOptions.defaults().withEpochs(config.epochs())
                .withSmallEntryMaxBytes(config.smallObjectBytes());
        for (S3Account account : accounts) {
            accountsByAddress.put(account.address(), account);
            spacesByAddress.computeIfAbsent(account.address(), a -> new Spaces(account.client(), options));
        }
        this.anyReader = spacesByAddress.values().iterator().next();
        this.control = accounts.getFirst().client().control();
    }

    Spaces spacesOf(S3Account account) {
        return spacesByAddress.get(account.address());
    }

    /** The bucket, or empty if no account has claimed the name. */
    Optional<Bucket> find(String name) {
        if (!BucketNames.isValid(name)) {
            return Optional.empty();
        }
        long now = clock.millis();
        Cached cached = cache.get(name);
        if (cached != null && cached.until() > now) {
            return cached.bucket();
        }
        Optional<Bucket> bucket = control.bucket(name).map(info -> open(info, cached));
        cache.put(name, new Cached(bucket, now + LOOKUP_MILLIS));
        return bucket;
    }

    /** @throws S3Exception {@code NoSuchBucket} */
    Bucket get(String name) {
        return find(name).orElseThrow(() -> S3Exception.noSuchBucket(name));
    }

    private Bucket open(BucketInfo info, Cached previous) {
        if (previous != null && previous.bucket().isPresent() && previous.bucket().get().info().equals(info)) {
            return previous.bucket().get(); // the same bucket: keep its space and commit queue
        }
        Spaces owner = spacesByAddress.get(info.owner());
        Space space = (owner != null ? owner : anyReader).find(info.owner(), info.name()).orElse(null);
        return new Bucket(info, space, owner != null && space != null ? queue(space) : null, owner != null);
    }

    /**
     * The bucket ready for writes: its space created if its creation failed after the name was claimed.
     *
     * @throws S3Exception {@code AccessDenied} if this server does not hold the owner's key
     */
    Bucket writable(Bucket bucket) {
        if (!bucket.ownedHere()) {
            throw new S3Exception(S3Error.ACCESS_DENIED, "bucket " + bucket.name() + " belongs to " + bucket.owner()
                    + ", whose key this server does not hold");
        }
        synchronized (bucket) {
            if (bucket.queue() == null) {
                Space space = ensureSpace(spacesByAddress.get(bucket.owner()), bucket.name());
                bucket.attach(space, queue(space));
            }
        }
        return bucket;
    }

    private CommitQueue queue(Space space) {
        return new CommitQueue(space, 1000, 32L << 20);
    }

    private static Space ensureSpace(Spaces spaces, String name) {
        try {
            return spaces.create(name, false);
        } catch (SpaceExistsException e) {
            return spaces.open(name);
        }
    }

    /**
     * Claims {@code name} for {@code account} and makes sure its space exists.
     *
     * @throws S3Exception {@code InvalidBucketName}, {@code BucketAlreadyOwnedByYou}, {@code BucketAlreadyExists},
     *                     {@code TooManyBuckets}
     */
    Bucket create(S3Account account, String name) {
        BucketNames.problem(name).ifPresent(problem -> {
            throw new S3Exception(S3Error.INVALID_BUCKET_NAME, "The specified bucket is not valid: " + problem)
                    .field("BucketName", name);
        });
        try {
            account.client().submit(new Command.CreateBucket(name, clock.millis()));
        } catch (ApiException e) {
            cache.remove(name);
            if (e.is(ErrorReason.ALREADY_EXISTS)) {
                Optional<BucketInfo> taken = control.bucket(name);
                if (taken.isPresent() && taken.get().owner().equals(account.address())) {
                    throw new S3Exception(S3Error.BUCKET_ALREADY_OWNED_BY_YOU).field("BucketName", name);
                }
                throw new S3Exception(S3Error.BUCKET_ALREADY_EXISTS).field("BucketName", name);
            }
            if (e.is(ErrorReason.INVALID_ARGUMENT) && e.getMessage().contains("the most an account may own")) {
                throw new S3Exception(S3Error.TOO_MANY_BUCKETS);
            }
            throw e;
        }
        cache.remove(name);
        return writable(get(name));
    }

    /** Releases the name (the caller emptied the bucket and marked its space deleted). */
    void release(S3Account account, Bucket bucket) {
        try {
            account.client().submit(new Command.DeleteBucket(bucket.name()));
        } finally {
            cache.remove(bucket.name());
        }
    }

    /** The buckets {@code account} owns, by name. */
    List<BucketInfo> owned(S3Account account) {
        return control.buckets(account.address()).buckets();
    }

    @Override
    public void close() {
        spacesByAddress.values().forEach(Spaces::close);
    }
}
