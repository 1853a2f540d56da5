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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Service and bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, bucket
 * versioning and (canned) ACLs, and the bucket subresources Tusk does not implement, answered as S3 answers a bucket
 * that has none configured.
 */
final class BucketOps {
    static final Set<String> CANNED_ACLS = Set.of("private", "public-read", "public-read-write", "authenticated-read",
            "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write");
    /** Most bytes of a bucket configuration body (versioning, ACL, location). */
    static final int MAX_CONFIG_BODY = 64 * 1024;
    /** S3's limit on a bucket's tags (objects have 10). */
    static final int MAX_BUCKET_TAGS = 50;

    private final S3Context ctx;

    BucketOps(S3Context ctx) {
        this.ctx = ctx;
    }

    /**
     * ListBuckets: the account's buckets by name, all of them (as S3 answers without parameters) or a page of
     * {@code max-buckets} from {@code continuation-token}, those starting with {@code prefix}.
     */
    S3Response listBuckets(S3Request request, Authentication auth) {
        S3Account account = S3Context.account(auth);
        String prefix = request.query("prefix").orElse("");
        int max = request.query("max-buckets").map(BucketOps::maxBuckets).orElse(Integer.MAX_VALUE);
        String after = request.query("continuation-token").map(BucketOps::decodeToken).orElse("");
        List<BucketInfo> buckets = ctx.buckets().owned(account).stream()
                .filter(b -> b.name().startsWith(prefix) && b.name().compareTo(after) > 0)
                .sorted(java.util.Comparator.comparing(BucketInfo::name)).toList();
        List<BucketInfo> page = buckets.subList(0, Math.min(max, buckets.size()));
        XmlWriter xml = XmlWriter.document("ListAllMyBucketsResult");
        owner(xml, account.address());
        xml.start("Buckets");
        for (BucketInfo b : page) {
            xml.start("Bucket").element("Name", b.name())
                    .element("CreationDate", java.time.Instant.ofEpochMilli(b.createdMillis()))
                    .element("BucketRegion", ctx.config().region()).end();
        }
        xml.end();
        if (page.size() < buckets.size()) {
            xml.element("ContinuationToken", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    page.getLast().name().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (!prefix.isEmpty()) {
            xml.element("Prefix", prefix);
        }
        return S3Response.ok(xml);
    }

    private static int maxBuckets(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw S3Exception.invalidArgument("max-buckets must be an integer from 1 to 10000", "max-buckets", text);
    }

    private static String decodeToken(String token) {
        try {
            return new String(java.util.Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw S3Exception.invalidArgument("The continuation token provided is incorrect", "continuation-token",
                    token);
        }
    }

    static void owner(XmlWriter xml, String address) {
        xml.start("Owner").element("ID", address).element("DisplayName", address).end();
    }

    S3Response create(S3Request request, Authentication auth) throws IOException {
        S3Account account = S3Context.account(auth);
        if (request.header("x-amz-bucket-object-lock-enabled").map(v -> v.equalsIgnoreCase("true")).orElse(false)) {
            throw new S3Exception(S3Error.NOT_IMPLEMENTED, "object lock is not supported");
        }
        Grants grants = Grants.fromHeaders(request).orElse(Grants.PRIVATE);
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
        if (!grants.isPrivate() || (head != null && head.entry(InternalKeys.CONFIG).isPresent())) {
            bucket.queue().commit(settingsChange(bucket.name(), s -> BucketSettings.NEW.withGrants(grants), false));
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
        return S3Response.ok(liveSettings(bucket).grants().toXml(bucket.owner()));
    }

    /** PutBucketAcl: a canned ACL, x-amz-grant-* headers, or an AccessControlPolicy document replaces the grants. */
    S3Response putAcl(S3Request request, Authentication auth) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        Optional<Grants> fromHeaders = Grants.fromHeaders(request);
        Grants grants = fromHeaders.isPresent() ? fromHeaders.get()
                : Grants.fromPolicy(XmlElement.parse(readBody(request, auth)), bucket.owner());
        ctx.buckets().writable(bucket).queue().commit(settingsChange(bucket.name(), s -> s.withGrants(grants), true));
        return S3Response.empty(200);
    }

    static Optional<String> cannedAcl(S3Request request) {
        return request.header("x-amz-acl").map(acl -> {
            if (!CANNED_ACLS.contains(acl)) {
                throw S3Exception.invalidArgument("Invalid canned ACL", "x-amz-acl", acl);
            }
            return acl;
        });
    }

    // ------------------------------------------------------------------------------------------------ tagging

    S3Response getTagging(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        String tags = liveSettings(bucket).tags();
        if (tags == null) {
            throw new S3Exception(S3Error.NO_SUCH_TAG_SET).field("BucketName", bucket.name());
        }
        XmlWriter xml = XmlWriter.document("Tagging").start("TagSet");
        S3Request.parseQuery(tags).forEach((k, v) -> xml.start("Tag").element("Key", k).element("Value", v.getFirst()).end());
        xml.end();
        return S3Response.ok(xml);
    }

    /** PutBucketTagging: up to 50 tags (S3's limit for buckets), replacing the set. */
    S3Response putTagging(S3Request request, Authentication auth) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        Map<String, List<String>> tags = ObjectHeaders.tagSet(XmlElement.parse(readBody(request, auth)));
        String canonical = ObjectHeaders.canonicalTags(tags, MAX_BUCKET_TAGS);
        ctx.buckets().writable(bucket).queue().commit(settingsChange(bucket.name(), s -> s.withTags(canonical), true));
        return S3Response.empty(204);
    }

    S3Response deleteTagging(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        if (bucket.space().isPresent()) {
            ctx.buckets().writable(bucket).queue().commit(settingsChange(bucket.name(), s -> s.withTags(null), true));
        }
        return S3Response.empty(204);
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
