package io.tusk.s3;

import io.tusk.spaces.Snapshot;
import io.tusk.spaces.Space;
import io.tusk.spaces.StagedContent;
import io.tusk.spaces.manifest.EntryRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Object operations: Put, Get, Head, Delete, Copy, DeleteObjects, and object tagging and ACLs. */
final class ObjectOps {
    /** S3's longest key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;
    /** Most keys one DeleteObjects request may name. */
    static final int MAX_DELETE_KEYS = 1000;

    private final S3Context ctx;

    ObjectOps(S3Context ctx) {
        this.ctx = ctx;
    }

    static String checkKey(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new S3Exception(S3Error.KEY_TOO_LONG).field("Size",
                    Integer.toString(key.getBytes(StandardCharsets.UTF_8).length)).field("MaxSizeAllowed",
                    Integer.toString(MAX_KEY_BYTES));
        }
        if (InternalKeys.isInternal(key)) {
            throw S3Exception.invalidArgument("an object key must not start with U+10FFFF (Tusk keeps bucket data "
                    + "there)", "key", "U+10FFFF...");
        }
        return key;
    }

    // ------------------------------------------------------------------------------------------------ PUT

    S3Response put(S3Request request, Authentication auth) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.mayWrite(auth, bucket, Bucket.settings(bucket.head()));
        String key = checkKey(request.key());
        Map<String, String> metadata = ObjectHeaders.fromRequest(request);
        putGrants(request, metadata);
        String contentType = ObjectHeaders.contentType(request);
        ObjectChanges.Conditions conditions = writeConditions(request);
        ctx.buckets().writable(bucket);
        try (RequestBody body = RequestBody.open(request, auth, Math.min(ctx.config().maxPutBytes(),
                ctx.config().maxObjectBytes()))) {
            ObjectChanges.Body content = receive(bucket, body);
            metadata.put(S3Object.ETAG, body.md5Hex());
            body.checksum().ifPresent(c -> metadata.put(S3Object.CHECKSUM, c.algorithm().name() + ":" + c.value()));
            checkLimits(contentType, metadata);
            CommitQueue.Outcome<String> outcome = commitOrDiscard(bucket, content,
                    ObjectChanges.put(bucket.name(), key, content, contentType, metadata, conditions));
            S3Response response = S3Response.empty(200).header("ETag", "\"" + body.md5Hex() + "\"")
                    .header("x-amz-version-id", versionHeader(outcome.value()));
            body.checksum().ifPresent(c -> response.header(c.algorithm().header(), c.value()));
            return response;
        }
    }

    /** A body as a write stores it: read into memory if small, else stored now, streamed, under an upload permit. */
    ObjectChanges.Body receive(Bucket bucket, RequestBody body) throws IOException {
        if (body.length() <= ctx.config().smallObjectBytes()) {
            return new ObjectChanges.Bytes(body.readAllChecked());
        }
        Space space = bucket.space().orElseThrow();
        try {
            ctx.uploads().acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new S3Exception(S3Error.SERVICE_UNAVAILABLE, "interrupted while waiting to upload");
        }
        try {
            return new ObjectChanges.Staged(space.upload(body, body.length()));
        } catch (IOException | RuntimeException e) {
            if (body.failure() != null) {
                throw body.failure(); // a failed check surfaces wrapped by the chunk pipeline
            }
            throw e;
        } finally {
            ctx.uploads().release();
        }
    }

    /** Commits a write; content staged for it is deleted if it does not land. */
    static <T> CommitQueue.Outcome<T> commitOrDiscard(Bucket bucket, ObjectChanges.Body content, Change<T> change) {
        try {
            return bucket.queue().commit(change);
        } catch (RuntimeException e) {
            if (content instanceof ObjectChanges.Staged staged) {
                bucket.space().orElseThrow().discard(staged.content());
            }
            throw e;
        }
    }

    /** The ACL a write's x-amz-acl or x-amz-grant-* headers give the object, kept with it unless private. */
    static void putGrants(S3Request request, Map<String, String> metadata) {
        Grants.fromHeaders(request).filter(g -> !g.isPrivate()).ifPresent(g -> metadata.put(S3Object.ACL, g.encode()));
    }

    static void checkLimits(String contentType, Map<String, String> metadata) {
        try {
            EntryRecord.checkLimits(contentType, metadata);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3Error.METADATA_TOO_LARGE, "the object's headers are too large: " + e.getMessage());
        }
    }

    static ObjectChanges.Conditions writeConditions(S3Request request) {
        return new ObjectChanges.Conditions(request.header("If-Match").orElse(null),
                request.header("If-None-Match").orElse(null));
    }

    // ------------------------------------------------------------------------------------------------ GET / HEAD

    S3Response get(S3Request request, Authentication auth) {
        boolean head = request.method().equals("HEAD");
        Bucket bucket = ctx.buckets().get(request.bucket());
        Snapshot snapshot = bucket.head();
        BucketSettings settings = Bucket.settings(snapshot);
        if (settings.deleted()) {
            throw S3Exception.noSuchBucket(bucket.name());
        }
        String key = checkKey(request.key());
        Versions.Found found = locateReadable(auth, bucket, settings, snapshot, key,
                request.query("versionId").orElse(null));
        S3Object object = found.object();
        readConditions(request, object);

        long size = object.size();
        Http.Range range = null;
        Optional<String> partNumber = request.query("partNumber");
        if (partNumber.isPresent()) {
            range = partRange(object, partNumber.get());
        } else if (request.header("Range").isPresent()) {
            range = Http.range(request.header("Range").get(), size).orElse(null);
        }
        boolean whole = range == null;
        long start = whole ? 0 : range.start();
        long length = whole ? size : range.length();
        String entryKey = found.entryKey();
        S3Response response = S3Response.stream(whole ? 200 : 206,
                ObjectHeaders.responseContentType(object, request), length, head ? null : out -> {
                    if (whole) {
                        snapshot.read(entryKey, out);
                    } else {
                        snapshot.readRange(entryKey, start, length, out);
                    }
                });
        ObjectHeaders.toResponse(response, object, settings.everVersioned(), request);
        if (!whole) {
            response.header("Content-Range", range.contentRange(size));
        }
        if (whole && request.header("x-amz-checksum-mode").map(m -> m.equalsIgnoreCase("ENABLED")).orElse(false)) {
            object.checksum().ifPresent(c -> response.header(c.algorithm().header(), c.value()));
            object.checksumType().ifPresent(t -> response.header("x-amz-checksum-type", t));
        }
        return response;
    }

    /** GetObject's conditional headers, in RFC 7232's order. */
    static void readConditions(S3Request request, S3Object object) {
        Optional<String> ifMatch = request.header("If-Match");
        Optional<String> ifNoneMatch = request.header("If-None-Match");
        Optional<Instant> ifModifiedSince = request.header("If-Modified-Since").flatMap(Http::parseDate);
        Optional<Instant> ifUnmodifiedSince = request.header("If-Unmodified-Since").flatMap(Http::parseDate);
        if (ifMatch.isPresent()) {
            if (!Http.etagMatches(ifMatch.get(), object.etag())) {
                throw new S3Exception(S3Error.PRECONDITION_FAILED).field("Condition", "If-Match");
            }
        } else if (ifUnmodifiedSince.isPresent() && Http.modifiedSince(object.lastModified(), ifUnmodifiedSince.get())) {
            throw new S3Exception(S3Error.PRECONDITION_FAILED).field("Condition", "If-Unmodified-Since");
        }
        if (ifNoneMatch.isPresent()) {
            if (Http.etagMatches(ifNoneMatch.get(), object.etag())) {
                throw notModified(object);
            }
        } else if (ifModifiedSince.isPresent() && !Http.modifiedSince(object.lastModified(), ifModifiedSince.get())) {
            throw notModified(object);
        }
    }

    /**
     * The version a read names, if the request may read it: by the bucket's ACL, or by the object's own (an object made
     * public-read in a private bucket). Who may not read the bucket learns nothing of its keys: AccessDenied, not
     * NoSuchKey.
     */
    static Versions.Found locateReadable(Authentication auth, Bucket bucket, BucketSettings settings, Snapshot snapshot,
                                         String key, String versionId) {
        Versions.Found found;
        try {
            if (snapshot == null) {
                throw S3Exception.noSuchKey(key);
            }
            found = ObjectChanges.locate(snapshot, key, versionId);
        } catch (S3Exception e) {
            S3Context.mayRead(auth, bucket, settings);
            throw e;
        }
        S3Context.mayRead(auth, bucket, settings, found.object().grants());
        return found;
    }

    private static S3Exception notModified(S3Object object) {
        return new S3Exception(S3Error.NOT_MODIFIED).header("ETag", object.quotedEtag())
                .header("Last-Modified", Http.httpDate(object.lastModified()));
    }

    /** The byte range of part {@code n} of a multipart object (a single-part object has part 1 only). */
    static Http.Range partRange(S3Object object, String text) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > 10_000) {
            throw S3Exception.invalidArgument("Part number must be an integer between 1 and 10000, inclusive",
                    "partNumber", text);
        }
        if (object.partCount() == 0) {
            if (n != 1) {
                throw partOutOfRange(text, 1);
            }
            return new Http.Range(0, object.size());
        }
        String sizes = object.system().get(S3Object.PART_SIZES);
        if (n > object.partCount() || sizes == null) {
            throw partOutOfRange(text, object.partCount());
        }
        String[] each = sizes.split(",");
        long start = 0;
        for (int i = 0; i < n - 1; i++) {
            start += Long.parseLong(each[i]);
        }
        return new Http.Range(start, Long.parseLong(each[n - 1]));
    }

    /** A part number past the object's last part: 400 {@code InvalidPart}, as S3 answers (not a range error). */
    private static S3Exception partOutOfRange(String requested, int partCount) {
        return new S3Exception(S3Error.INVALID_PART, "The requested part number " + requested + " is past the "
                + "object's " + partCount + " part(s)").field("PartNumberRequested", requested)
                .field("ActualPartCount", Integer.toString(partCount));
    }

    // ------------------------------------------------------------------------------------------------ DELETE

    S3Response delete(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        String key = checkKey(request.key());
        String versionId = request.query("versionId").orElse(null);
        if (versionId != null && !Versions.wellFormed(versionId)) {
            throw S3Exception.invalidArgument("Invalid version id specified", "versionId", versionId);
        }
        ctx.buckets().writable(bucket);
        ObjectChanges.Deleted deleted = bucket.queue().commit(versionId == null
                ? ObjectChanges.delete(bucket.name(), key)
                : ObjectChanges.deleteVersion(bucket.name(), key, versionId)).value();
        S3Response response = S3Response.empty(204).header("x-amz-version-id", deleted.versionId());
        if (deleted.deleteMarker()) {
            response.header("x-amz-delete-marker", "true");
        }
        return response;
    }

    S3Response deleteObjects(S3Request request, Authentication auth) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        XmlElement delete = XmlElement.parse(readListBody(request, auth));
        if (!delete.name().equals("Delete")) {
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
        boolean quiet = delete.childText("Quiet").map(q -> q.equalsIgnoreCase("true")).orElse(false);
        List<XmlElement> objects = delete.all("Object");
        if (objects.isEmpty() || objects.size() > MAX_DELETE_KEYS) {
            throw new S3Exception(S3Error.MALFORMED_XML, "a Delete request names 1 to " + MAX_DELETE_KEYS + " objects");
        }
        record Target(String key, String versionId, S3Exception invalid) {
        }
        List<Target> targets = new ArrayList<>();
        List<Change<ObjectChanges.Deleted>> changes = new ArrayList<>();
        List<Integer> changeOf = new ArrayList<>();
        for (XmlElement object : objects) {
            String key = object.child("Key").map(XmlElement::text).orElse(null);
            String versionId = object.childText("VersionId").filter(v -> !v.isEmpty()).orElse(null);
            S3Exception invalid = null;
            try {
                if (key == null || key.isEmpty()) {
                    throw new S3Exception(S3Error.MALFORMED_XML, "an Object without a Key");
                }
                checkKey(key);
                if (versionId != null && !Versions.wellFormed(versionId)) {
                    throw S3Exception.invalidArgument("Invalid version id specified", "versionId", versionId);
                }
            } catch (S3Exception e) {
                invalid = e;
            }
            targets.add(new Target(key, versionId, invalid));
            if (invalid == null) {
                changeOf.add(changes.size());
                changes.add(versionId == null ? ObjectChanges.delete(bucket.name(), key)
                        : ObjectChanges.deleteVersion(bucket.name(), key, versionId));
            } else {
                changeOf.add(-1);
            }
        }
        List<CommitQueue.Result<ObjectChanges.Deleted>> results = changes.isEmpty() ? List.of()
                : ctx.buckets().writable(bucket).queue().commitAll(changes);
        XmlWriter xml = XmlWriter.document("DeleteResult");
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            S3Exception failure = t.invalid();
            ObjectChanges.Deleted done = null;
            if (failure == null) {
                CommitQueue.Result<ObjectChanges.Deleted> r = results.get(changeOf.get(i));
                failure = r.failure();
                done = r.outcome() == null ? null : r.outcome().value();
            }
            if (failure != null) {
                xml.start("Error").element("Key", t.key()).element("VersionId", t.versionId())
                        .element("Code", failure.error().code()).element("Message", failure.getMessage()).end();
            } else if (!quiet) {
                xml.start("Deleted").element("Key", t.key());
                if (t.versionId() != null) {
                    xml.element("VersionId", t.versionId());
                    if (done.deleteMarker()) {
                        xml.element("DeleteMarker", true).element("DeleteMarkerVersionId", t.versionId());
                    }
                } else if (done.deleteMarker()) {
                    xml.element("DeleteMarker", true).element("DeleteMarkerVersionId", done.versionId());
                }
                xml.end();
            }
        }
        return S3Response.ok(xml);
    }

    /** A list body (DeleteObjects, CompleteMultipartUpload): at most 4 MiB. */
    static byte[] readListBody(S3Request request, Authentication auth) throws IOException {
        return readListBody(request, auth, true);
    }

    /** A list body; {@code checksumHeaders} as in {@link RequestBody#open(S3Request, Authentication, long, boolean)}. */
    static byte[] readListBody(S3Request request, Authentication auth, boolean checksumHeaders) throws IOException {
        RequestBody body;
        try {
            body = RequestBody.open(request, auth, 4L << 20, checksumHeaders);
        } catch (S3Exception e) {
            if (e.error() == S3Error.ENTITY_TOO_LARGE) {
                throw new S3Exception(S3Error.MALFORMED_XML, "the XML body is larger than 4 MiB");
            }
            throw e;
        }
        try (body) {
            return body.readAllChecked();
        }
    }

    // ------------------------------------------------------------------------------------------------ COPY

    /** {@code x-amz-copy-source}: {@code [/]bucket/key[?versionId=V]}, URL-encoded. */
    record CopySource(String bucket, String key, String versionId) {
        static CopySource parse(String header) {
            String text = header.trim();
            String versionId = null;
            int question = text.indexOf('?');
            if (question >= 0) {
                Map<String, List<String>> query = S3Request.parseQuery(text.substring(question + 1));
                versionId = query.containsKey("versionId") ? query.get("versionId").getFirst() : null;
                text = text.substring(0, question);
            }
            String decoded;
            try {
                decoded = UriEncoding.decode(text, false);
            } catch (IllegalArgumentException e) {
                throw S3Exception.invalidArgument("Invalid copy source encoding", "x-amz-copy-source", header);
            }
            if (decoded.startsWith("/")) {
                decoded = decoded.substring(1);
            }
            int slash = decoded.indexOf('/');
            if (slash <= 0 || slash == decoded.length() - 1) {
                throw S3Exception.invalidArgument("Copy Source must mention the source bucket and key: "
                        + "sourcebucket/sourcekey", "x-amz-copy-source", header);
            }
            return new CopySource(decoded.substring(0, slash), decoded.substring(slash + 1), versionId);
        }
    }

    /** The source of a copy, checked for read access and the copy-source conditions. */
    record Source(Bucket bucket, Snapshot snapshot, Versions.Found found, BucketSettings settings) {
    }

    Source source(S3Request request, Authentication auth) {
        CopySource copy = CopySource.parse(request.header("x-amz-copy-source").orElseThrow());
        Bucket bucket = ctx.buckets().get(copy.bucket());
        Snapshot snapshot = bucket.head();
        BucketSettings settings = Bucket.settings(snapshot);
        if (settings.deleted()) {
            throw S3Exception.noSuchBucket(bucket.name());
        }
        S3Context.mayRead(auth, bucket, settings);
        checkKey(copy.key());
        if (snapshot == null) {
            throw S3Exception.noSuchKey(copy.key());
        }
        Versions.Found found = ObjectChanges.locate(snapshot, copy.key(), copy.versionId());
        copyConditions(request, found.object());
        return new Source(bucket, snapshot, found, settings);
    }

    private static void copyConditions(S3Request request, S3Object object) {
        Optional<String> ifMatch = request.header("x-amz-copy-source-if-match");
        Optional<String> ifNoneMatch = request.header("x-amz-copy-source-if-none-match");
        Optional<Instant> modifiedSince = request.header("x-amz-copy-source-if-modified-since").flatMap(Http::parseDate);
        Optional<Instant> unmodifiedSince = request.header("x-amz-copy-source-if-unmodified-since").flatMap(Http::parseDate);
        boolean failed = (ifMatch.isPresent() && !Http.etagMatches(ifMatch.get(), object.etag()))
                || (ifMatch.isEmpty() && unmodifiedSince.isPresent()
                && Http.modifiedSince(object.lastModified(), unmodifiedSince.get()))
                || (ifNoneMatch.isPresent() && Http.etagMatches(ifNoneMatch.get(), object.etag()))
                || (ifNoneMatch.isEmpty() && modifiedSince.isPresent()
                && !Http.modifiedSince(object.lastModified(), modifiedSince.get()));
        if (failed) {
            throw new S3Exception(S3Error.PRECONDITION_FAILED);
        }
    }

    S3Response copy(S3Request request, Authentication auth) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        String key = checkKey(request.key());
        Source source = source(request, auth);
        S3Object from = source.found().object();
        String directive = request.header("x-amz-metadata-directive").orElse("COPY").toUpperCase(Locale.ROOT);
        String taggingDirective = request.header("x-amz-tagging-directive").orElse("COPY").toUpperCase(Locale.ROOT);
        if (!directive.equals("COPY") && !directive.equals("REPLACE")) {
            throw S3Exception.invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
        }
        if (!taggingDirective.equals("COPY") && !taggingDirective.equals("REPLACE")) {
            throw S3Exception.invalidArgument("Unknown tagging directive.", "x-amz-tagging-directive", taggingDirective);
        }
        boolean sameObject = source.bucket().name().equals(bucket.name()) && from.key().equals(key);
        if (sameObject && directive.equals("COPY") && request.header("x-amz-storage-class").isEmpty()
                && request.query("versionId").isEmpty() && source.found().current()) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "This copy request is illegal because it is trying to copy an "
                    + "object to itself without changing the object's metadata, storage class, website redirect "
                    + "location or encryption attributes.");
        }
        Map<String, String> requested = ObjectHeaders.fromRequest(request);
        Map<String, String> metadata = new LinkedHashMap<>();
        String contentType;
        if (directive.equals("REPLACE")) {
            metadata.putAll(requested);
            metadata.remove(S3Object.TAGS);
            contentType = ObjectHeaders.contentType(request);
        } else {
            metadata.putAll(from.userMetadata());
            S3Object.CONTENT_HEADERS.keySet().forEach(f -> {
                if (from.system().containsKey(f)) {
                    metadata.put(f, from.system().get(f));
                }
            });
            contentType = from.contentType();
            if (requested.containsKey(S3Object.STORAGE_CLASS)) {
                metadata.put(S3Object.STORAGE_CLASS, requested.get(S3Object.STORAGE_CLASS));
            } else if (from.system().containsKey(S3Object.STORAGE_CLASS)) {
                metadata.put(S3Object.STORAGE_CLASS, from.system().get(S3Object.STORAGE_CLASS));
            }
        }
        putGrants(request, metadata); // a copy's ACL is the request's, never the source's (as in S3)
        String tags = taggingDirective.equals("REPLACE") ? requested.get(S3Object.TAGS) : from.system().get(S3Object.TAGS);
        if (tags != null) {
            metadata.put(S3Object.TAGS, tags);
        }
        for (String carried : List.of(S3Object.ETAG, S3Object.CHECKSUM, S3Object.CHECKSUM_TYPE, S3Object.PART_COUNT,
                S3Object.PART_SIZES, S3Object.PART_CHECKSUMS)) {
            if (from.system().containsKey(carried)) {
                metadata.put(carried, from.system().get(carried));
            }
        }
        if (from.system().get(S3Object.ETAG) == null) {
            metadata.put(S3Object.ETAG, from.etag());
        }
        checkLimits(contentType, metadata);
        ctx.buckets().writable(bucket);
        ObjectChanges.Body content = copyContent(bucket, source);
        CommitQueue.Outcome<String> outcome = commitOrDiscard(bucket, content,
                ObjectChanges.put(bucket.name(), key, content, contentType, metadata, writeConditions(request)));
        XmlWriter xml = XmlWriter.document("CopyObjectResult").element("LastModified", outcome.commit().commitTime())
                .element("ETag", from.quotedEtag());
        S3Response response = S3Response.ok(xml).header("x-amz-version-id", versionHeader(outcome.value()));
        if (source.settings().everVersioned()) {
            response.header("x-amz-copy-source-version-id", from.versionId());
        }
        return response;
    }

    /**
     * The content of a copy's source as the destination stores it: shared if both are in one space, else streamed
     * from the source into the destination (bounded memory).
     */
    ObjectChanges.Body copyContent(Bucket bucket, Source source) throws IOException {
        if (source.bucket().name().equals(bucket.name()) && source.bucket().owner().equals(bucket.owner())) {
            return new ObjectChanges.CopyOf(source.snapshot(), source.found().entryKey());
        }
        return copyBytes(bucket, source.snapshot(), source.found().entryKey(), 0, source.found().object().size(), null);
    }

    /** Bytes of an entry as a new content of the bucket: in memory if small, else streamed into a staged upload. */
    ObjectChanges.Body copyBytes(Bucket bucket, Snapshot from, String entryKey, long start, long length,
                                 java.security.MessageDigest digest) throws IOException {
        if (length <= ctx.config().smallObjectBytes()) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) length);
            if (length > 0) {
                from.readRange(entryKey, start, length, out);
            }
            byte[] bytes = out.toByteArray();
            if (digest != null) {
                digest.update(bytes);
            }
            return new ObjectChanges.Bytes(bytes);
        }
        return new ObjectChanges.Staged(streamInto(bucket, from, entryKey, start, length, digest));
    }

    /**
     * Streams bytes of an entry of one space into a new content of the bucket's space, through {@code digest} if it is
     * not null.
     */
    StagedContent streamInto(Bucket bucket, Snapshot from, String entryKey, long start, long length,
                             java.security.MessageDigest digest) throws IOException {
        Space space = bucket.space().orElseThrow();
        try {
            ctx.uploads().acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new S3Exception(S3Error.SERVICE_UNAVAILABLE, "interrupted while waiting to copy");
        }
        try (InputStream piped = pipe(out -> from.readRange(entryKey, start, length, out));
             InputStream in = digest == null ? piped : new java.security.DigestInputStream(piped, digest)) {
            return space.upload(in, length);
        } finally {
            ctx.uploads().release();
        }
    }

    /** What a writer writes, as a stream; the writer runs on its own thread and its failure reaches the reader. */
    static InputStream pipe(IoWriter writer) throws IOException {
        FailingPipe in = new FailingPipe();
        PipedOutputStream out = new PipedOutputStream(in);
        Thread.ofVirtual().name("s3-copy").start(() -> {
            try {
                writer.writeTo(out);
            } catch (IOException | RuntimeException e) {
                in.fail(e instanceof IOException io ? io : new IOException(e.getMessage(), e)); // before the close
            } finally {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the reader went away: nothing left to tell
                }
            }
        });
        return in;
    }

    /** A pipe whose reader learns of the writer's failure instead of seeing a short stream. */
    private static final class FailingPipe extends PipedInputStream {
        private volatile IOException failure;

        FailingPipe() {
            super(1 << 20);
        }

        void fail(IOException e) {
            failure = e;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0 && failure != null) {
                throw failure;
            }
            return n;
        }

        @Override
        public synchronized int read() throws IOException {
            int n = super.read();
            if (n < 0 && failure != null) {
                throw failure;
            }
            return n;
        }
    }

    @FunctionalInterface
    interface IoWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    // ------------------------------------------------------------------------------------------------ tagging, ACL

    S3Response getTagging(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        Snapshot snapshot = bucket.head();
        BucketSettings settings = Bucket.settings(snapshot);
        S3Context.mayRead(auth, bucket, settings);
        String key = checkKey(request.key());
        if (snapshot == null) {
            throw S3Exception.noSuchKey(key);
        }
        S3Object object = ObjectChanges.locate(snapshot, key, request.query("versionId").orElse(null)).object();
        XmlWriter xml = XmlWriter.document("Tagging").start("TagSet");
        ObjectHeaders.tags(object).forEach((k, v) -> xml.start("Tag").element("Key", k).element("Value", v).end());
        xml.end();
        return S3Response.ok(xml).header("x-amz-version-id", settings.everVersioned() ? object.versionId() : null);
    }

    S3Response putTagging(S3Request request, Authentication auth) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        String key = checkKey(request.key());
        String canonical = ObjectHeaders.canonicalTags(ObjectHeaders.tagSet(
                XmlElement.parse(BucketOps.readBody(request, auth))));
        String versionId = request.query("versionId").orElse(null);
        String written = ctx.buckets().writable(bucket).queue()
                .commit(ObjectChanges.retag(bucket.name(), key, versionId, canonical)).value();
        return S3Response.empty(200).header("x-amz-version-id", versionId != null ? written : null);
    }

    S3Response deleteTagging(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        String key = checkKey(request.key());
        String versionId = request.query("versionId").orElse(null);
        ctx.buckets().writable(bucket).queue().commit(ObjectChanges.retag(bucket.name(), key, versionId, null));
        return S3Response.empty(204);
    }

    S3Response getAcl(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        Snapshot snapshot = bucket.head();
        BucketSettings settings = Bucket.settings(snapshot);
        String key = checkKey(request.key());
        if (snapshot == null) {
            S3Context.mayRead(auth, bucket, settings);
            throw S3Exception.noSuchKey(key);
        }
        S3Object object = ObjectChanges.locate(snapshot, key, request.query("versionId").orElse(null)).object();
        S3Context.mayRead(auth, bucket, settings, object.grants());
        return S3Response.ok(object.grants().toXml(bucket.owner()));
    }

    /** PutObjectAcl: a canned ACL, x-amz-grant-* headers or an AccessControlPolicy document replaces the grants. */
    S3Response putAcl(S3Request request, Authentication auth) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        String key = checkKey(request.key());
        Optional<Grants> fromHeaders = Grants.fromHeaders(request);
        Grants grants = fromHeaders.isPresent() ? fromHeaders.get()
                : Grants.fromPolicy(XmlElement.parse(BucketOps.readBody(request, auth)), bucket.owner());
        String versionId = request.query("versionId").orElse(null);
        ctx.buckets().writable(bucket).queue().commit(ObjectChanges.updateSystem(bucket.name(), key, versionId,
                S3Object.ACL, grants.isPrivate() ? null : grants.encode(), "PUT " + key + "?acl"));
        return S3Response.empty(200);
    }

    /** A write's {@code x-amz-version-id}: none for a null version (S3 sends none in unversioned or suspended buckets). */
    static String versionHeader(String versionId) {
        return S3Object.NULL_VERSION.equals(versionId) ? null : versionId;
    }
}
