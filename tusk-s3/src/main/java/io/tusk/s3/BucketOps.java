package io.tusk.s3;

import io.tusk.control.api.BucketInfo;
import io.tusk.spaces.Entry;
import io.tusk.spaces.ListPage;
import io.tusk.spaces.ListQuery;
import io.tusk.spaces.PutOptions;
import io.tusk.spaces.Snapshot;
import io.tusk.spaces.Transaction;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Service and bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, bucket
 * versioning and (canned) ACLs, and the bucket subresources Tusk does not implement, answered as S3 answers a bucket
 * that has none configured.
 */
final class BucketOps {
    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    static final Set<String> CANNED_ACLS = Set.of("private", "public-read", "public-read-write", "authenticated-read",
            "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write");
    /** Most bytes of a bucket configuration body (versioning, ACL, location). */
    static final int MAX_CONFIG_BODY = 64 * 1024;

    private final S3Context ctx;

    BucketOps(S3Context ctx) {
        this.ctx = ctx;
    }

    S3Response listBuckets(Authentication auth) {
        S3Account account = S3Context.account(auth);
        List<BucketInfo> buckets = ctx.buckets().owned(account);
        XmlWriter xml = XmlWriter.document("ListAllMyBucketsResult");
        owner(xml, account.address());
        xml.start("Buckets");
        for (BucketInfo b : buckets) {
            xml.start("Bucket").element("Name", b.name())
                    .element("CreationDate", java.time.Instant.ofEpochMilli(b.createdMillis())).end();
        }
        xml.end();
        return S3Response.ok(xml);
    }

    static void owner(XmlWriter xml, String address) {
        xml.start("Owner").element("ID", address).element("DisplayName", address).end();
    }

    S3Response create(S3Request request, Authentication auth) throws IOException {
        S3Account account = S3Context.account(auth);
        if (request.header("x-amz-bucket-object-lock-enabled").map(v -> v.equalsIgnoreCase("true")).orElse(false)) {
            throw new S3Exception(S3Error.NOT_IMPLEMENTED, "object lock is not supported");
        }
        rejectGrants(request);
        String acl = cannedAcl(request).orElse("private");
        byte[] body = readBody(request, auth);
        if (body.length > 0) {
            XmlElement config = XmlElement.parse(body);
            if (!config.name().equals("CreateBucketConfiguration")) {
                throw new S3Exception(S3Error.MALFORMED_XML);
            }
        }
        Bucket bucket;
        try {
            bucket = ctx.buckets().create(account, request.bucket());
        } catch (S3Exception e) {
            if (e.error() == S3Error.BUCKET_ALREADY_OWNED_BY_YOU && ctx.config().region().equals("us-east-1")) {
                // S3's us-east-1 answers a bucket its owner creates again with 200 and changes nothing (other regions
                // answer BucketAlreadyOwnedByYou): clients and tools that "ensure" a bucket rely on it.
                return S3Response.empty(200).header("Location", "/" + request.bucket());
            }
            throw e;
        }
        Snapshot head = bucket.head();
        // A name released and claimed again by the same account finds its old (empty) space: start it afresh.
        if (!acl.equals("private") || (head != null && head.entry(InternalKeys.CONFIG).isPresent())) {
            bucket.queue().commit(settingsChange(bucket.name(), s -> BucketSettings.NEW.withAcl(acl), false));
        }
        return S3Response.empty(200).header("Location", "/" + bucket.name());
    }

    S3Response head(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        BucketSettings settings = Bucket.settings(bucket.head());
        if (settings.deleted()) {
            throw S3Exception.noSuchBucket(bucket.name());
        }
        S3Context.mayRead(auth, bucket, settings);
        return S3Response.empty(200).header("x-amz-bucket-region", ctx.config().region());
    }

    S3Response delete(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Account account = S3Context.owner(auth, bucket);
        if (bucket.space().isPresent()) {
            ctx.buckets().writable(bucket).queue().commit(new Change<Void>() {
                @Override
                public Set<String> keys() {
                    return Set.of(CommitQueue.EVERYTHING);
                }

                @Override
                public Void apply(Snapshot base, Transaction tx, long version) {
                    BucketSettings settings = ObjectChanges.settings(base, bucket.name());
                    ListPage objects = base.list(ListQuery.all().withLimit(1));
                    boolean hasObjects = !objects.entries().isEmpty()
                            && !InternalKeys.isInternal(objects.entries().getFirst().key());
                    boolean hasVersions = !base.list(ListQuery.prefix(InternalKeys.PREFIX + "v/").withLimit(1))
                            .entries().isEmpty();
                    if (hasObjects || hasVersions) {
                        throw new S3Exception(S3Error.BUCKET_NOT_EMPTY).field("BucketName", bucket.name());
                    }
                    for (String prefix : List.of(InternalKeys.uploadsPrefix(), InternalKeys.PREFIX + "p/")) {
                        for (Entry e : base.entries(prefix)) {
                            tx.delete(e.key()); // in-progress multipart uploads go with the bucket
                        }
                    }
                    tx.put(InternalKeys.CONFIG, new byte[0], new PutOptions(PutOptions.DEFAULT_CONTENT_TYPE,
                            settings.withDeleted(true).toMetadata(), null));
                    return null;
                }

                @Override
                public String describe() {
                    return "DELETE bucket " + bucket.name();
                }
            });
        }
        ctx.buckets().release(account, bucket);
        return S3Response.empty(204);
    }

    S3Response location(S3Request request, Authentication auth) {
        readable(request, auth);
        String region = ctx.config().region();
        XmlWriter xml = XmlWriter.document("LocationConstraint");
        if (!region.equals(S3Config.DEFAULT_REGION)) {
            xml.text(region); // us-east-1 is written as an empty constraint, as S3 does
        }
        return S3Response.ok(xml);
    }

    S3Response getVersioning(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        BucketSettings settings = liveSettings(bucket);
        XmlWriter xml = XmlWriter.document("VersioningConfiguration");
        xml.element("Status", settings.versioning());
        return S3Response.ok(xml);
    }

    S3Response putVersioning(S3Request request, Authentication auth) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        XmlElement config = XmlElement.parse(readBody(request, auth));
        if (!config.name().equals("VersioningConfiguration")) {
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
        String status = config.childText("Status").orElse(null);
        if (status == null) {
            return S3Response.empty(200);
        }
        if (!status.equals(BucketSettings.ENABLED) && !status.equals(BucketSettings.SUSPENDED)) {
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
        ctx.buckets().writable(bucket).queue().commit(settingsChange(bucket.name(), s -> s.withVersioning(status), true));
        return S3Response.empty(200);
    }

    S3Response getAcl(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        return S3Response.ok(acl(bucket.owner(), liveSettings(bucket).publicRead()));
    }

    /** An AccessControlPolicy: the owner's full control, and AllUsers' READ if public. */
    static XmlWriter acl(String owner, boolean publicRead) {
        XmlWriter xml = XmlWriter.document("AccessControlPolicy");
        owner(xml, owner);
        xml.start("AccessControlList");
        xml.start("Grant").startWith("Grantee", "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance",
                "xsi:type", "CanonicalUser").element("ID", owner).element("DisplayName", owner).end()
                .element("Permission", "FULL_CONTROL").end();
        if (publicRead) {
            xml.start("Grant").startWith("Grantee", "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance",
                    "xsi:type", "Group").element("URI", ALL_USERS).end().element("Permission", "READ").end();
        }
        xml.end();
        return xml;
    }

    S3Response putAcl(S3Request request, Authentication auth) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        rejectGrants(request);
        String acl = cannedAcl(request).orElse(null);
        if (acl == null) {
            acl = aclFromBody(readBody(request, auth));
        }
        String chosen = acl;
        ctx.buckets().writable(bucket).queue().commit(settingsChange(bucket.name(), s -> s.withAcl(chosen), true));
        return S3Response.empty(200);
    }

    /** A canned ACL from an AccessControlPolicy body: public-read if AllUsers may READ, else private. */
    static String aclFromBody(byte[] body) {
        XmlElement policy = XmlElement.parse(body);
        if (!policy.name().equals("AccessControlPolicy")) {
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
        boolean publicRead = false;
        for (XmlElement list : policy.all("AccessControlList")) {
            for (XmlElement grant : list.all("Grant")) {
                boolean allUsers = grant.child("Grantee").flatMap(g -> g.childText("URI")).map(ALL_USERS::equals)
                        .orElse(false);
                String permission = grant.childText("Permission").orElse("");
                if (allUsers && (permission.equals("READ") || permission.equals("FULL_CONTROL"))) {
                    publicRead = true;
                } else if (!allUsers && !permission.equals("FULL_CONTROL")) {
                    throw new S3Exception(S3Error.NOT_IMPLEMENTED, "ACL grants other than the owner's full control "
                            + "and AllUsers READ are not supported");
                }
            }
        }
        return publicRead ? "public-read" : "private";
    }

    static java.util.Optional<String> cannedAcl(S3Request request) {
        return request.header("x-amz-acl").map(acl -> {
            if (!CANNED_ACLS.contains(acl)) {
                throw S3Exception.invalidArgument("Invalid canned ACL", "x-amz-acl", acl);
            }
            return acl;
        });
    }

    static void rejectGrants(S3Request request) {
        for (String grant : List.of("x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp",
                "x-amz-grant-write-acp", "x-amz-grant-full-control")) {
            if (request.header(grant).isPresent()) {
                throw new S3Exception(S3Error.NOT_IMPLEMENTED, "ACL grants are not supported; use a canned ACL")
                        .field("Header", grant);
            }
        }
    }

    /** A subresource S3 answers with "none configured" (GET) for a bucket without it: policy, CORS, lifecycle... */
    S3Response notConfigured(S3Request request, Authentication auth, S3Error error) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        if (request.method().equals("DELETE")) {
            return S3Response.empty(204);
        }
        if (!request.method().equals("GET")) {
            throw new S3Exception(S3Error.NOT_IMPLEMENTED, "this bucket configuration is not supported");
        }
        throw new S3Exception(error).field("BucketName", bucket.name());
    }

    /** A bucket a request may read, with its live settings. */
    private Bucket readable(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.mayRead(auth, bucket, liveSettings(bucket));
        return bucket;
    }

    private static BucketSettings liveSettings(Bucket bucket) {
        BucketSettings settings = Bucket.settings(bucket.head());
        if (settings.deleted()) {
            throw S3Exception.noSuchBucket(bucket.name());
        }
        return settings;
    }

    static Change<Void> settingsChange(String bucket, UnaryOperator<BucketSettings> update, boolean refuseDeleted) {
        return new Change<>() {
            @Override
            public Set<String> keys() {
                return Set.of(InternalKeys.CONFIG);
            }

            @Override
            public Void apply(Snapshot base, Transaction tx, long version) {
                BucketSettings current = refuseDeleted ? ObjectChanges.settings(base, bucket) : Bucket.settings(base);
                tx.put(InternalKeys.CONFIG, new byte[0], new PutOptions(PutOptions.DEFAULT_CONTENT_TYPE,
                        update.apply(current).toMetadata(), null));
                return null;
            }

            @Override
            public String describe() {
                return "bucket settings";
            }
        };
    }

    /** A small request body (a configuration or a list), decoded and checked like an object's. */
    static byte[] readBody(S3Request request, Authentication auth) throws IOException {
        if (request.contentLength() <= 0 && request.header("x-amz-decoded-content-length").isEmpty()
                && request.header("Transfer-Encoding").isEmpty()) {
            return new byte[0];
        }
        RequestBody body;
        try {
            body = RequestBody.open(request, auth, MAX_CONFIG_BODY);
        } catch (S3Exception e) {
            if (e.error() == S3Error.ENTITY_TOO_LARGE) {
                throw new S3Exception(S3Error.MALFORMED_XML, "the body is larger than " + MAX_CONFIG_BODY + " bytes");
            }
            throw e;
        }
        try (body) {
            return body.readAllChecked();
        }
    }
}
