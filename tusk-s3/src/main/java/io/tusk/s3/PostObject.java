package io.tusk.s3;

import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Promise;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * PostObject: a browser's HTML form uploads a file straight into a bucket ({@code POST /BUCKET}, multipart/form-data).
 * The form's fields stand in for a PUT's headers ({@code key}, {@code Content-Type}, {@code x-amz-meta-*},
 * {@code tagging}, {@code x-amz-checksum-*}, ...); a signed {@link PostPolicy} says what the form may hold, so a site
 * can hand out upload forms without handing out its key. Without a policy the request is anonymous and the bucket
 * must be {@code public-read-write}. The answer is S3's: 204 by default, {@code success_action_status} 200 or 201
 * (with a {@code PostResponse} document), or a 303 to {@code success_action_redirect}.
 */
final class PostObject {
    /** Most bytes of form fields, as S3 allows before the file (20 KB), with room for a large policy. */
    private static final long MAX_FIELD_BYTES = 64 * 1024;
    private static final int MAX_FIELDS = 1_000;
    /** Files up to this size stay in memory while the form is parsed; larger ones go to a temporary file. */
    private static final long MEMORY_FILE_BYTES = 1 << 20;

    private final S3Context ctx;
    private final ObjectOps objects;
    private final Authenticator authenticator;

    PostObject(S3Context ctx, ObjectOps objects, Authenticator authenticator) {
        this.ctx = ctx;
        this.objects = objects;
        this.authenticator = authenticator;
    }

    S3Response post(S3Request request) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        String boundary = request.header("Content-Type").map(MultiPart::extractBoundary).orElse(null);
        if (boundary == null || !request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT)
                .startsWith("multipart/form-data")) {
            throw new S3Exception(S3Error.PRECONDITION_FAILED, "Bucket POST must be of the enclosure-type "
                    + "multipart/form-data").field("Condition", "Bucket POST must be of the enclosure-type "
                    + "multipart/form-data");
        }
        try (MultiPartFormData.Parts parts = parse(request, boundary)) {
            Map<String, String> fields = new LinkedHashMap<>();
            List<Map.Entry<String, String>> ordered = new ArrayList<>();
            MultiPart.Part file = null;
            for (MultiPart.Part part : parts) {
                String name = part.getName() == null ? "" : part.getName().toLowerCase(Locale.ROOT);
                if (name.equals("file")) {
                    file = part;
                    break; // S3 ignores the fields after the file
                }
                if (part.getLength() > MAX_FIELD_BYTES) {
                    throw new S3Exception(S3Error.MALFORMED_POST_REQUEST, "the form field " + name + " is larger than "
                            + MAX_FIELD_BYTES + " bytes");
                }
                String value = part.getContentAsString(StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value);
                ordered.add(Map.entry(name, value));
            }
            if (file == null) {
                throw S3Exception.invalidArgument("POST requires exactly one file upload per request.", "file", "0");
            }
            String key = fields.get("key");
            if (key == null || key.isEmpty()) {
                throw S3Exception.invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, "
                        + "please check the order of the fields.", "key", "");
            }
            key = ObjectOps.checkKey(key.replace("${filename}", file.getFileName() == null ? "" : file.getFileName()));
            fields.put("key", key);
            fields.put("bucket", bucket.name()); // the bucket posted to is what the policy's bucket condition meets
            authorize(bucket, fields, file.getLength());
            return store(request, bucket, key, fields, ordered, file);
        }
    }

    private MultiPartFormData.Parts parse(S3Request request, String boundary) {
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxParts(MAX_FIELDS);
        parser.setMaxFileSize(ctx.config().maxPutBytes());
        parser.setMaxLength(ctx.config().maxPutBytes() + MAX_FIELDS * MAX_FIELD_BYTES);
        parser.setMaxMemoryFileSize(MEMORY_FILE_BYTES);
        parser.setFilesDirectory(Path.of(System.getProperty("java.io.tmpdir")));
        CompletableFuture<MultiPartFormData.Parts> parsed = new CompletableFuture<>();
        parser.parse(request.jetty(), Promise.Invocable.toPromise(parsed));
        try {
            return parsed.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new S3Exception(S3Error.MALFORMED_POST_REQUEST, "the multipart/form-data body does not parse: "
                    + cause.getMessage(), cause);
        }
    }

    /**
     * A policy signed by the bucket's owner, met by the form; or no policy at all in a {@code public-read-write}
     * bucket.
     */
    private void authorize(Bucket bucket, Map<String, String> fields, long fileLength) {
        String policy = fields.get("policy");
        if (policy == null || policy.isEmpty()) {
            if (fields.containsKey("signature") || fields.containsKey("x-amz-signature")) {
                throw S3Exception.invalidArgument("Bucket POST must contain a field named 'policy'.  If it is "
                        + "specified, please check the order of the fields.", "policy", "");
            }
            if (!Bucket.settings(bucket.head()).publicWrite()) {
                throw new S3Exception(S3Error.ACCESS_DENIED, "an unsigned POST (no policy) needs a public-read-write "
                        + "bucket");
            }
            return;
        }
        S3Account signer = authenticator.postSigner(fields, policy);
        PostPolicy.parse(policy).check(fields, fileLength, ctx.clock().instant());
        S3Context.owner(new Authentication(signer, null, null), bucket);
    }

    private S3Response store(S3Request request, Bucket bucket, String key, Map<String, String> fields,
                             List<Map.Entry<String, String>> ordered, MultiPart.Part file) throws IOException {
        String acl = fields.get("acl");
        if (acl != null && !BucketOps.CANNED_ACLS.contains(acl)) {
            throw S3Exception.invalidArgument("Invalid canned ACL", "acl", acl);
        }
        Map<String, String> metadata = ObjectHeaders.fromFields(ordered);
        String tagging = fields.get("tagging");
        if (tagging != null && !tagging.isBlank()) {
            String tags = ObjectHeaders.canonicalTags(ObjectHeaders.tagSet(
                    XmlElement.parse(tagging.getBytes(StandardCharsets.UTF_8))));
            if (!tags.isEmpty()) {
                metadata.put(S3Object.TAGS, tags);
            }
        }
        String contentType = fields.getOrDefault("content-type", "");
        contentType = contentType.isBlank() ? ObjectHeaders.DEFAULT_CONTENT_TYPE : contentType;
        ctx.buckets().writable(bucket);
        String versionId;
        String etag;
        try (InputStream in = Content.Source.asInputStream(file.getContentSource());
             RequestBody body = RequestBody.ofFormFile(in, file.getLength(), fields)) {
            ObjectChanges.Body content = objects.receive(bucket, body);
            etag = body.md5Hex();
            metadata.put(S3Object.ETAG, etag);
            body.checksum().ifPresent(c -> metadata.put(S3Object.CHECKSUM, c.algorithm().name() + ":" + c.value()));
            ObjectOps.checkLimits(contentType, metadata);
            versionId = ObjectOps.commitOrDiscard(bucket, content, ObjectChanges.put(bucket.name(), key, content,
                    contentType, metadata, new ObjectChanges.Conditions(null, null))).value();
        }
        String location = "http://" + request.header("Host").orElse("localhost") + "/" + bucket.name() + "/"
                + UriEncoding.encode(key, true);
        return answer(fields, bucket.name(), key, etag, location)
                .header("x-amz-version-id", ObjectOps.versionHeader(versionId));
    }

    /** S3's answers: a redirect if the form asks for one, else success_action_status 200, 201 or (any other) 204. */
    private static S3Response answer(Map<String, String> fields, String bucket, String key, String etag,
                                     String location) {
        String redirect = fields.getOrDefault("success_action_redirect", fields.get("redirect"));
        if (redirect != null && isHttpUrl(redirect)) {
            String to = redirect + (redirect.contains("?") ? "&" : "?") + "bucket=" + UriEncoding.encode(bucket, false)
                    + "&key=" + UriEncoding.encode(key, false) + "&etag=" + UriEncoding.encode("\"" + etag + "\"", false);
            return S3Response.empty(303).header("Location", to).header("ETag", "\"" + etag + "\"");
        }
        String status = fields.getOrDefault("success_action_status", "204");
        if (status.equals("201")) {
            // S3's PostResponse has no namespace (clients find its elements by their bare names)
            XmlWriter xml = XmlWriter.plainDocument("PostResponse").element("Location", location)
                    .element("Bucket", bucket).element("Key", key).element("ETag", "\"" + etag + "\"");
            return S3Response.xml(201, xml).header("ETag", "\"" + etag + "\"").header("Location", location);
        }
        return S3Response.empty(status.equals("200") ? 200 : 204).header("ETag", "\"" + etag + "\"")
                .header("Location", location);
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
