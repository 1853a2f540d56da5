package io.tusk.s3;

import java.time.Clock;
import java.util.concurrent.Semaphore;

/** What the operations share: configuration, buckets, the permits of large uploads, the clock. */
record S3Context(S3Config config, Buckets buckets, Semaphore uploads, Clock clock) {
    S3Context(S3Config config, Buckets buckets, Clock clock) {
        this(config, buckets, new Semaphore(config.maxConcurrentUploads(), true), clock);
    }

    /** The account that signed the request. @throws S3Exception {@code AccessDenied} if it is anonymous */
    static S3Account account(Authentication auth) {
        if (auth.anonymous()) {
            throw new S3Exception(S3Error.ACCESS_DENIED, "Anonymous users cannot do this: sign the request");
        }
        return auth.account();
    }

    /** @throws S3Exception {@code AccessDenied} unless the request's account owns the bucket */
    static S3Account owner(Authentication auth, Bucket bucket) {
        S3Account account = account(auth);
        if (!account.address().equals(bucket.owner())) {
            throw new S3Exception(S3Error.ACCESS_DENIED, "bucket " + bucket.name() + " belongs to another account");
        }
        return account;
    }

    /**
     * @throws S3Exception {@code AccessDenied} unless the request's account owns the bucket or the bucket's ACL grants
     *                     it (or everyone) READ
     */
    static void mayRead(Authentication auth, Bucket bucket, BucketSettings settings) {
        mayRead(auth, bucket, settings, Grants.PRIVATE);
    }

    /** As {@link #mayRead(Authentication, Bucket, BucketSettings)}, or an object whose own ACL grants READ. */
    static void mayRead(Authentication auth, Bucket bucket, BucketSettings settings, Grants object) {
        if (auth.anonymous() ? settings.grants().allowsEveryone("READ") || object.allowsEveryone("READ")
                : auth.account().address().equals(bucket.owner())
                || settings.grants().allowsAccount("READ", auth.account().address())
                || object.allowsAccount("READ", auth.account().address())) {
            return;
        }
        throw new S3Exception(S3Error.ACCESS_DENIED);
    }

    /**
     * Who may write objects into the bucket: its owner, or anyone its grants give WRITE (public-read-write: anonymous
     * writes too). Such writes are made with the owner's key, which this server holds.
     *
     * @throws S3Exception {@code AccessDenied} otherwise
     */
    static void mayWrite(Authentication auth, Bucket bucket, BucketSettings settings) {
        if (auth.anonymous() ? settings.grants().allowsEveryone("WRITE")
                : auth.account().address().equals(bucket.owner())
                || settings.grants().allowsAccount("WRITE", auth.account().address())) {
            return;
        }
        throw new S3Exception(S3Error.ACCESS_DENIED, auth.anonymous() ? "Anonymous users cannot write here: sign the "
                + "request" : "bucket " + bucket.name() + " belongs to another account");
    }
}
