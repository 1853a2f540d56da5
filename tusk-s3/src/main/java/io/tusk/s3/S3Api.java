package io.tusk.s3;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Routes a request to its operation by method, bucket, key and subresource (the query parameter that names it, e.g.
 * {@code ?versioning}, {@code ?uploads}), as S3 does (docs/s3.md lists the operations).
 */
final class S3Api {
    /** Bucket subresources Tusk does not keep, and the error S3 answers a bucket without one. */
    private static final Map<String, S3Error> UNCONFIGURED = Map.of(
            "policy", S3Error.NO_SUCH_BUCKET_POLICY,
            "cors", S3Error.NO_SUCH_CORS_CONFIGURATION,
            "lifecycle", S3Error.NO_SUCH_LIFECYCLE_CONFIGURATION,
            "encryption", S3Error.SERVER_SIDE_ENCRYPTION_CONFIGURATION_NOT_FOUND,
            "website", S3Error.NO_SUCH_WEBSITE_CONFIGURATION,
            "object-lock", S3Error.OBJECT_LOCK_CONFIGURATION_NOT_FOUND);
    private static final String[] UNSUPPORTED_BUCKET = {"replication", "logging", "notification", "accelerate",
            "requestPayment", "ownershipControls", "publicAccessBlock", "analytics", "metrics", "inventory",
            "intelligent-tiering", "policyStatus"};
    private static final String[] UNSUPPORTED_OBJECT = {"restore", "select", "retention", "legal-hold", "torrent"};

    private final BucketOps buckets;
    private final ObjectOps objects;
    private final MultipartOps multipart;
    private final Listings listings;
    private final PostObject postObject;
    private final ObjectAttributes attributes;
    private final S3Context ctx;

    S3Api(S3Context ctx, Authenticator authenticator) {
        this.ctx = ctx;
        this.buckets = new BucketOps(ctx);
        this.objects = new ObjectOps(ctx);
        this.multipart = new MultipartOps(ctx, objects);
        this.listings = new Listings(ctx);
        this.postObject = new PostObject(ctx, objects, authenticator);
        this.attributes = new ObjectAttributes(ctx);
    }

    S3Response handle(S3Request r, Authentication auth) throws IOException {
        if (r.bucket() == null) {
            if (r.method().equals("GET")) {
                return buckets.listBuckets(r, auth);
            }
            throw methodNotAllowed(r);
        }
        checkExpectedOwner(r);
        return r.key() == null ? bucket(r, auth) : object(r, auth);
    }

    /**
     * {@code x-amz-expected-bucket-owner}: a client's guard against writing to or reading from a bucket that changed
     * hands; a bucket of another owner is {@code AccessDenied}, as in S3. Owner IDs are account addresses.
     */
    private void checkExpectedOwner(S3Request r) {
        Optional<String> expected = r.header("x-amz-expected-bucket-owner");
        if (expected.isPresent() && !(r.method().equals("PUT") && r.key() == null && r.queryMap().isEmpty())) {
            Bucket bucket = ctx.buckets().get(r.bucket());
            if (!bucket.owner().equals(expected.get())) {
                throw new S3Exception(S3Error.ACCESS_DENIED, "bucket " + bucket.name() + " is not owned by "
                        + expected.get());
            }
        }
    }

    private S3Response bucket(S3Request r, Authentication auth) throws IOException {
        if (r.has("tagging")) {
            return switch (r.method()) {
                case "GET" -> buckets.getTagging(r, auth);
                case "PUT" -> buckets.putTagging(r, auth);
                case "DELETE" -> buckets.deleteTagging(r, auth);
                default -> throw methodNotAllowed(r);
            };
        }
        for (Map.Entry<String, S3Error> sub : UNCONFIGURED.entrySet()) {
            if (r.has(sub.getKey())) {
                return buckets.notConfigured(r, auth, sub.getValue());
            }
        }
        for (String sub : UNSUPPORTED_BUCKET) {
            if (r.has(sub)) {
                throw new S3Exception(S3Error.NOT_IMPLEMENTED, "the bucket subresource ?" + sub + " is not supported");
            }
        }
        return switch (r.method()) {
            case "GET" -> {
                if (r.has("versioning")) {
                    yield buckets.getVersioning(r, auth);
                } else if (r.has("location")) {
                    yield buckets.location(r, auth);
                } else if (r.has("acl")) {
                    yield buckets.getAcl(r, auth);
                } else if (r.has("versions")) {
                    yield listings.listVersions(r, auth);
                } else if (r.has("uploads")) {
                    yield multipart.listUploads(r, auth);
                } else if (r.query("list-type").map("2"::equals).orElse(false)) {
                    yield listings.listObjects(r, auth, true);
                }
                yield listings.listObjects(r, auth, false);
            }
            case "HEAD" -> buckets.head(r, auth);
            case "PUT" -> {
                if (r.has("versioning")) {
                    yield buckets.putVersioning(r, auth);
                } else if (r.has("acl")) {
                    yield buckets.putAcl(r, auth);
                }
                yield buckets.create(r, auth);
            }
            case "DELETE" -> buckets.delete(r, auth);
            case "POST" -> {
                if (r.has("delete")) {
                    yield objects.deleteObjects(r, auth);
                }
                yield postObject.post(r);
            }
            default -> throw methodNotAllowed(r);
        };
    }

    private S3Response object(S3Request r, Authentication auth) throws IOException {
        for (String sub : UNSUPPORTED_OBJECT) {
            if (r.has(sub)) {
                throw new S3Exception(S3Error.NOT_IMPLEMENTED, "the object subresource ?" + sub + " is not supported");
            }
        }
        boolean copy = r.header("x-amz-copy-source").isPresent();
        return switch (r.method()) {
            case "GET", "HEAD" -> {
                if (r.has("uploadId") && r.method().equals("GET")) {
                    yield multipart.listParts(r, auth);
                } else if (r.has("acl")) {
                    yield objects.getAcl(r, auth);
                } else if (r.has("tagging")) {
                    yield objects.getTagging(r, auth);
                } else if (r.has("attributes") && r.method().equals("GET")) {
                    yield attributes.get(r, auth);
                }
                yield objects.get(r, auth);
            }
            case "PUT" -> {
                if (r.has("uploadId") || r.has("partNumber")) {
                    yield copy ? multipart.uploadPartCopy(r, auth) : multipart.uploadPart(r, auth);
                } else if (r.has("acl")) {
                    yield objects.putAcl(r, auth);
                } else if (r.has("tagging")) {
                    yield objects.putTagging(r, auth);
                }
                yield copy ? objects.copy(r, auth) : objects.put(r, auth);
            }
            case "DELETE" -> {
                if (r.has("uploadId")) {
                    yield multipart.abort(r, auth);
                } else if (r.has("tagging")) {
                    yield objects.deleteTagging(r, auth);
                }
                yield objects.delete(r, auth);
            }
            case "POST" -> {
                if (r.has("uploads")) {
                    yield multipart.create(r, auth);
                } else if (r.has("uploadId")) {
                    yield multipart.complete(r, auth);
                }
                throw new S3Exception(S3Error.NOT_IMPLEMENTED, "this POST is not supported");
            }
            default -> throw methodNotAllowed(r);
        };
    }

    private static S3Exception methodNotAllowed(S3Request r) {
        return new S3Exception(S3Error.METHOD_NOT_ALLOWED).field("Method", r.method())
                .field("ResourceType", r.bucket() == null ? "SERVICE" : r.key() == null ? "BUCKET" : "OBJECT");
    }
}
