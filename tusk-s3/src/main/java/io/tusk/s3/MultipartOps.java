package io.tusk.s3;

import io.tusk.spaces.Entry;
import io.tusk.spaces.ListPage;
import io.tusk.spaces.ListQuery;
import io.tusk.spaces.PutOptions;
import io.tusk.spaces.Snapshot;
import io.tusk.spaces.Transaction;
import io.tusk.spaces.tree.Keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Multipart uploads, as entries of the bucket's space: an upload is an entry (the object's key and headers in its
 * metadata), each part an entry holding the part's bytes (its own blob when large). Completing one makes the object
 * from the parts' blobs (a new chunked-file manifest when they line up, as S3 clients' equal-sized parts do: nothing is
 * copied) and removes the upload, in one commit.
 */
final class MultipartOps {
    /** S3's smallest part but the last. */
    static final long MIN_PART_BYTES = 5L << 20;
    static final int MAX_PARTS = 10_000;
    static final String OBJECT_KEY = ":key";
    static final String CHECKSUM_ALGORITHM = ":cka";
    /** The checksum type an upload asked for: COMPOSITE (the default) or FULL_OBJECT (CRCs only). */
    static final String CHECKSUM_TYPE = ":ckty";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final S3Context ctx;
    private final ObjectOps objects;

    MultipartOps(S3Context ctx, ObjectOps objects) {
        this.ctx = ctx;
        this.objects = objects;
    }

    /** An upload in progress, read from its entry. */
    record Upload(String uploadId, String key, Instant initiated, Entry entry) {
        static Upload of(Entry entry) {
            String id = entry.key().substring(InternalKeys.uploadsPrefix().length());
            return new Upload(id, entry.metadata().get(OBJECT_KEY), entry.modified(), entry);
        }

        String storageClass() {
            return entry.metadata().getOrDefault(S3Object.STORAGE_CLASS, "STANDARD");
        }
    }

    private Upload upload(Snapshot snapshot, String uploadId, String key) {
        Optional<Entry> entry = snapshot == null || uploadId.isEmpty() || uploadId.contains("/") ? Optional.empty()
                : snapshot.entry(InternalKeys.upload(uploadId));
        Upload upload = entry.map(Upload::of).orElseThrow(() -> noSuchUpload(uploadId));
        if (key != null && !upload.key().equals(key)) {
            throw noSuchUpload(uploadId);
        }
        return upload;
    }

    private static S3Exception noSuchUpload(String uploadId) {
        return new S3Exception(S3Error.NO_SUCH_UPLOAD).field("UploadId", uploadId);
    }

    // ------------------------------------------------------------------------------------------------ create

    S3Response create(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        String key = ObjectOps.checkKey(request.key());
        Map<String, String> metadata = new LinkedHashMap<>(ObjectHeaders.fromRequest(request));
        ObjectOps.putGrants(request, metadata);
        metadata.put(OBJECT_KEY, key);
        Optional<String> algorithm = request.header("x-amz-checksum-algorithm");
        if (algorithm.isPresent()) {
            ChecksumAlgorithm a = ChecksumAlgorithm.named(algorithm.get()).orElseThrow(() ->
                    S3Exception.invalidArgument("Checksum algorithm provided is unsupported.",
                            "x-amz-checksum-algorithm", algorithm.get()));
            metadata.put(CHECKSUM_ALGORITHM, a.name());
        }
        Optional<String> type = request.header("x-amz-checksum-type").map(t -> t.trim().toUpperCase(java.util.Locale.ROOT));
        if (type.isPresent()) {
            ChecksumAlgorithm a = algorithm.flatMap(ChecksumAlgorithm::named).orElseThrow(() -> new S3Exception(
                    S3Error.INVALID_REQUEST, "x-amz-checksum-type needs x-amz-checksum-algorithm"));
            boolean full = type.get().equals("FULL_OBJECT");
            if (!full && !type.get().equals("COMPOSITE")) {
                throw S3Exception.invalidArgument("x-amz-checksum-type is COMPOSITE or FULL_OBJECT",
                        "x-amz-checksum-type", type.get());
            }
            if (full ? CrcCombine.of(a) == null : a == ChecksumAlgorithm.CRC64NVME) {
                throw new S3Exception(S3Error.INVALID_REQUEST, "The " + a.name() + " algorithm does not support the "
                        + type.get() + " checksum type");
            }
            metadata.put(CHECKSUM_TYPE, type.get());
        }
        String contentType = ObjectHeaders.contentType(request);
        ObjectOps.checkLimits(contentType, metadata);
        byte[] id = new byte[18];
        RANDOM.nextBytes(id);
        String uploadId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        int maxUploads = ctx.config().maxUploadsPerBucket();
        ctx.buckets().writable(bucket).queue().commit(new Change<Void>() {
            @Override
            public Set<String> keys() {
                return Set.of(InternalKeys.upload(uploadId));
            }

            @Override
            public Void apply(Snapshot base, Transaction tx, long version) {
                ObjectChanges.settings(base, bucket.name());
                ListPage uploads = base.list(new ListQuery(InternalKeys.uploadsPrefix(), null, null,
                        Math.min(ListQuery.MAX_LIMIT, maxUploads)));
                if (uploads.entries().size() >= maxUploads) {
                    throw new S3Exception(S3Error.SLOW_DOWN, "bucket " + bucket.name() + " has " + maxUploads
                            + " multipart uploads in progress, the most it may have; complete or abort some");
                }
                tx.put(InternalKeys.upload(uploadId), new byte[0], new PutOptions(contentType, metadata, null));
                return null;
            }

            @Override
            public String describe() {
                return "create upload of " + key;
            }
        });
        XmlWriter xml = XmlWriter.document("InitiateMultipartUploadResult").element("Bucket", bucket.name())
                .element("Key", key).element("UploadId", uploadId);
        S3Response response = S3Response.ok(xml);
        algorithm.ifPresent(a -> response.header("x-amz-checksum-algorithm", a.toUpperCase(java.util.Locale.ROOT)));
        type.ifPresent(t -> response.header("x-amz-checksum-type", t));
        return response;
    }

    // ------------------------------------------------------------------------------------------------ parts

    static int partNumber(S3Request request) {
        String text = request.query("partNumber").orElse("");
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX_PARTS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw S3Exception.invalidArgument("Part number must be an integer between 1 and 10000, inclusive",
                "partNumber", text);
    }

    S3Response uploadPart(S3Request request, Authentication auth) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        String key = ObjectOps.checkKey(request.key());
        String uploadId = request.query("uploadId").orElse("");
        int partNumber = partNumber(request);
        ctx.buckets().writable(bucket);
        upload(bucket.head(), uploadId, key); // fail fast, before the body is read
        try (RequestBody body = RequestBody.open(request, auth, ctx.config().maxPutBytes())) {
            ObjectChanges.Body content = objects.receive(bucket, body);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(S3Object.ETAG, body.md5Hex());
            body.checksum().ifPresent(c -> metadata.put(S3Object.CHECKSUM, c.algorithm().name() + ":" + c.value()));
            ObjectOps.commitOrDiscard(bucket, content, partChange(bucket.name(), uploadId, partNumber, content, metadata));
            S3Response response = S3Response.empty(200).header("ETag", "\"" + body.md5Hex() + "\"");
            body.checksum().ifPresent(c -> response.header(c.algorithm().header(), c.value()));
            return response;
        }
    }

    private Change<Void> partChange(String bucket, String uploadId, int partNumber, ObjectChanges.Body content,
                                    Map<String, String> metadata) {
        String partKey = InternalKeys.part(uploadId, partNumber);
        return new Change<>() {
            @Override
            public Set<String> keys() {
                return Set.of(partKey);
            }

            @Override
            public long bytes() {
                return content.memoryBytes();
            }

            @Override
            public Void apply(Snapshot base, Transaction tx, long version) {
                ObjectChanges.settings(base, bucket);
                if (base.entry(InternalKeys.upload(uploadId)).isEmpty()) {
                    throw noSuchUpload(uploadId);
                }
                PutOptions options = new PutOptions(PutOptions.DEFAULT_CONTENT_TYPE, metadata, null);
                switch (content) {
                    case ObjectChanges.Bytes b -> tx.put(partKey, b.data(), options);
                    case ObjectChanges.Staged s -> tx.put(partKey, s.content(), options);
                    case ObjectChanges.CopyOf c -> tx.copy(partKey, c.source(), c.entryKey(), options);
                }
                return null;
            }

            @Override
            public String describe() {
                return "part " + partNumber + " of upload " + uploadId;
            }
        };
    }

    S3Response uploadPartCopy(S3Request request, Authentication auth) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        String key = ObjectOps.checkKey(request.key());
        String uploadId = request.query("uploadId").orElse("");
        int partNumber = partNumber(request);
        ctx.buckets().writable(bucket);
        upload(bucket.head(), uploadId, key);
        ObjectOps.Source source = objects.source(request, auth);
        S3Object from = source.found().object();
        long start = 0;
        long length = from.size();
        Optional<String> rangeHeader = request.header("x-amz-copy-source-range");
        if (rangeHeader.isPresent()) {
            String spec = rangeHeader.get().trim();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes=(\\d+)-(\\d+)").matcher(spec);
            if (!m.matches()) {
                throw S3Exception.invalidArgument("The x-amz-copy-source-range value must be of the form "
                        + "bytes=first-last where first and last are the zero-based offsets of the first and last bytes "
                        + "to copy", "x-amz-copy-source-range", spec);
            }
            start = Long.parseLong(m.group(1));
            long last = Long.parseLong(m.group(2));
            if (last < start || last >= from.size()) {
                throw new S3Exception(S3Error.INVALID_RANGE, "The requested range is not satisfiable")
                        .field("RangeRequested", spec).field("ActualObjectSize", Long.toString(from.size()));
            }
            length = last - start + 1;
        }
        if (length > ctx.config().maxPutBytes()) {
            throw new S3Exception(S3Error.ENTITY_TOO_LARGE);
        }
        MessageDigest md5 = md5();
        ObjectChanges.Body content;
        String etag;
        boolean whole = start == 0 && length == from.size();
        if (whole && from.etag().matches("[0-9a-f]{32}") && source.bucket().name().equals(bucket.name())) {
            content = new ObjectChanges.CopyOf(source.snapshot(), source.found().entryKey()); // nothing is copied
            etag = from.etag();
        } else {
            content = objects.copyBytes(bucket, source.snapshot(), source.found().entryKey(), start, length, md5);
            etag = HexFormat.of().formatHex(md5.digest());
        }
        CommitQueue.Outcome<Void> outcome = ObjectOps.commitOrDiscard(bucket, content,
                partChange(bucket.name(), uploadId, partNumber, content, Map.of(S3Object.ETAG, etag)));
        XmlWriter xml = XmlWriter.document("CopyPartResult").element("LastModified", outcome.commit().commitTime())
                .element("ETag", "\"" + etag + "\"");
        S3Response response = S3Response.ok(xml);
        if (source.settings().everVersioned()) {
            response.header("x-amz-copy-source-version-id", from.versionId());
        }
        return response;
    }

    // ------------------------------------------------------------------------------------------------ complete

    private record ListedPart(int number, String etag, Entry entry) {
    }

    S3Response complete(S3Request request, Authentication auth) throws IOException {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        String key = ObjectOps.checkKey(request.key());
        String uploadId = request.query("uploadId").orElse("");
        ctx.buckets().writable(bucket);
        Snapshot snapshot = bucket.head();
        Upload upload;
        try {
            upload = upload(snapshot, uploadId, key);
        } catch (S3Exception e) {
            Optional<S3Response> done = completedBefore(bucket, snapshot, key, uploadId);
            if (done.isPresent()) {
                return done.get();
            }
            throw e;
        }
        // The completion's x-amz-checksum-* is the whole object's checksum (of the parts' checksums), not the body's.
        XmlElement body = XmlElement.parse(ObjectOps.readListBody(request, auth, false));
        if (!body.name().equals("CompleteMultipartUpload")) {
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
        List<XmlElement> requested = body.all("Part");
        if (requested.isEmpty() || requested.size() > MAX_PARTS) {
            throw new S3Exception(S3Error.MALFORMED_XML, "The XML you provided was not well-formed or did not validate "
                    + "against our published schema: a completion lists 1 to " + MAX_PARTS + " parts");
        }
        List<ListedPart> parts = new ArrayList<>();
        int previous = 0;
        for (XmlElement p : requested) {
            int number;
            try {
                number = Integer.parseInt(p.childText("PartNumber").orElse(""));
            } catch (NumberFormatException e) {
                throw new S3Exception(S3Error.MALFORMED_XML);
            }
            if (number <= previous) {
                throw new S3Exception(S3Error.INVALID_PART_ORDER).field("UploadId", uploadId);
            }
            previous = number;
            String etag = Http.strip(p.childText("ETag").orElse(""));
            Entry part = snapshot.entry(InternalKeys.part(uploadId, number)).orElseThrow(() ->
                    new S3Exception(S3Error.INVALID_PART).field("UploadId", uploadId)
                            .field("PartNumber", Integer.toString(number)));
            String stored = part.metadata().getOrDefault(S3Object.ETAG, "");
            if (!stored.equalsIgnoreCase(etag)) {
                throw new S3Exception(S3Error.INVALID_PART).field("UploadId", uploadId)
                        .field("PartNumber", Integer.toString(number)).field("ETag", etag);
            }
            parts.add(new ListedPart(number, stored, part));
        }
        for (int i = 0; i < parts.size() - 1; i++) {
            if (parts.get(i).entry().size() < MIN_PART_BYTES) {
                throw new S3Exception(S3Error.ENTITY_TOO_SMALL).field("UploadId", uploadId)
                        .field("PartNumber", Integer.toString(parts.get(i).number()))
                        .field("ProposedSize", Long.toString(parts.get(i).entry().size()))
                        .field("MinSizeAllowed", Long.toString(MIN_PART_BYTES));
            }
        }
        long total = parts.stream().mapToLong(p -> p.entry().size()).sum();
        if (total > ctx.config().maxObjectBytes()) {
            throw new S3Exception(S3Error.ENTITY_TOO_LARGE).field("ProposedSize", Long.toString(total))
                    .field("MaxSizeAllowed", Long.toString(ctx.config().maxObjectBytes()));
        }

        MessageDigest md5s = md5();
        for (ListedPart p : parts) {
            md5s.update(HexFormat.of().parseHex(p.etag().length() == 32 ? p.etag() : md5Of(p.etag())));
        }
        String etag = HexFormat.of().formatHex(md5s.digest()) + "-" + parts.size();
        Map<String, String> metadata = new LinkedHashMap<>();
        upload.entry().metadata().forEach((k, v) -> {
            if (!k.equals(OBJECT_KEY) && !k.equals(CHECKSUM_ALGORITHM) && !k.equals(CHECKSUM_TYPE)) {
                metadata.put(k, v);
            }
        });
        metadata.put(S3Object.ETAG, etag);
        metadata.put(S3Object.PART_COUNT, Integer.toString(parts.size()));
        StringBuilder sizes = new StringBuilder();
        for (ListedPart p : parts) {
            sizes.append(sizes.isEmpty() ? "" : ",").append(p.entry().size());
        }
        if (sizes.length() <= 2048) {
            metadata.put(S3Object.PART_SIZES, sizes.toString());
        }
        boolean fullObject = "FULL_OBJECT".equals(upload.entry().metadata().get(CHECKSUM_TYPE));
        String checksumType = fullObject ? "FULL_OBJECT" : "COMPOSITE";
        Optional<RequestBody.Checksum> checksum = fullObject ? fullObjectChecksum(parts) : compositeChecksum(parts);
        checkObjectChecksum(request, checksum);
        checksum.ifPresent(c -> {
            metadata.put(S3Object.CHECKSUM, c.algorithm().name() + ":" + c.value());
            metadata.put(S3Object.CHECKSUM_TYPE, checksumType);
            StringBuilder each = new StringBuilder();
            for (ListedPart p : parts) {
                String value = p.entry().metadata().get(S3Object.CHECKSUM);
                each.append(each.isEmpty() ? "" : ",").append(value.substring(value.indexOf(':') + 1));
            }
            if (each.length() <= 2048) { // GetObjectAttributes lists them; the entry's metadata has room for this much
                metadata.put(S3Object.PART_CHECKSUMS, each.toString());
            }
        });
        metadata.put(S3Object.UPLOAD_ID, uploadId);
        ObjectOps.checkLimits(upload.entry().contentType(), metadata);

        List<String> partKeys = parts.stream().map(p -> p.entry().key()).toList();
        ObjectChanges.Body content = parts.size() == 1 ? new ObjectChanges.CopyOf(snapshot, partKeys.getFirst())
                : concatenate(bucket, snapshot, partKeys);
        Map<String, Long> partVersions = new LinkedHashMap<>();
        parts.forEach(p -> partVersions.put(p.entry().key(), p.entry().version()));
        CommitQueue.Outcome<String> outcome = ObjectOps.commitOrDiscard(bucket, content,
                completion(bucket.name(), key, uploadId, content, upload.entry().contentType(), metadata, partVersions));
        String location = "/" + bucket.name() + "/" + UriEncoding.encode(key, true);
        XmlWriter xml = XmlWriter.document("CompleteMultipartUploadResult").element("Location", location)
                .element("Bucket", bucket.name()).element("Key", key).element("ETag", "\"" + etag + "\"");
        checksum.ifPresent(c -> xml.element(c.algorithm().xmlName(), c.value()).element("ChecksumType", checksumType));
        return S3Response.ok(xml).header("x-amz-version-id", ObjectOps.versionHeader(outcome.value()));
    }

    /**
     * A completion retried after it succeeded (its answer was lost, or a client completes twice) answers as the first
     * one did while the object it made is still the key's current version, as S3 does.
     */
    private static Optional<S3Response> completedBefore(Bucket bucket, Snapshot snapshot, String key, String uploadId) {
        if (snapshot == null || uploadId.isEmpty()) {
            return Optional.empty();
        }
        return snapshot.entry(key).filter(e -> uploadId.equals(e.metadata().get(S3Object.UPLOAD_ID))).map(e -> {
            S3Object object = S3Object.of(key, e);
            XmlWriter xml = XmlWriter.document("CompleteMultipartUploadResult")
                    .element("Location", "/" + bucket.name() + "/" + UriEncoding.encode(key, true))
                    .element("Bucket", bucket.name()).element("Key", key).element("ETag", object.quotedEtag());
            object.checksum().ifPresent(c -> xml.element(c.algorithm().xmlName(), c.value()));
            object.checksumType().ifPresent(t -> xml.element("ChecksumType", t));
            S3Response response = S3Response.ok(xml);
            return object.versionId().equals(S3Object.NULL_VERSION) ? response
                    : response.header("x-amz-version-id", object.versionId());
        });
    }

    private ObjectChanges.Body concatenate(Bucket bucket, Snapshot snapshot, List<String> partKeys) throws IOException {
        try {
            ctx.uploads().acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new S3Exception(S3Error.SERVICE_UNAVAILABLE, "interrupted while completing an upload");
        }
        try {
            return new ObjectChanges.Staged(bucket.space().orElseThrow().concatenate(snapshot, partKeys));
        } finally {
            ctx.uploads().release();
        }
    }

    /**
     * A completion's {@code x-amz-checksum-*} header claims the object's checksum: S3's checksum of the parts'
     * checksums ({@code BASE64-N}), or for a FULL_OBJECT upload the CRC of the whole object. It must be the one the
     * parts make, or the completion is refused {@code BadDigest} (parts without checksums make none, so any claim is
     * wrong).
     */
    private static void checkObjectChecksum(S3Request request, Optional<RequestBody.Checksum> made) {
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            Optional<String> claimed = request.header(a.header()).map(String::trim);
            if (claimed.isPresent() && !made.map(c -> c.algorithm() == a && c.value().equals(claimed.get()))
                    .orElse(false)) {
                throw new S3Exception(S3Error.BAD_DIGEST, "The " + a.header() + " you specified (" + claimed.get()
                        + ") is not the checksum of the parts' " + a.name() + " checksums"
                        + made.map(c -> " (" + c.algorithm().name() + " " + c.value() + ")").orElse(" (the parts have none)"));
            }
        }
    }

    /**
     * The CRC of the whole object, combined from the parts' CRCs and sizes (FULL_OBJECT), when every part has one of
     * the same CRC algorithm.
     */
    private static Optional<RequestBody.Checksum> fullObjectChecksum(List<ListedPart> parts) {
        ChecksumAlgorithm algorithm = null;
        long crc = 0;
        for (ListedPart p : parts) {
            String value = p.entry().metadata().get(S3Object.CHECKSUM);
            if (value == null) {
                return Optional.empty();
            }
            int colon = value.indexOf(':');
            ChecksumAlgorithm a = ChecksumAlgorithm.named(value.substring(0, colon)).orElse(null);
            if (a == null || CrcCombine.of(a) == null || (algorithm != null && a != algorithm)) {
                return Optional.empty();
            }
            long partCrc = 0;
            for (byte b : Base64.getDecoder().decode(value.substring(colon + 1))) {
                partCrc = (partCrc << 8) | (b & 0xff);
            }
            crc = algorithm == null ? partCrc : CrcCombine.of(a).combine(crc, partCrc, p.entry().size());
            algorithm = a;
        }
        byte[] whole = java.nio.ByteBuffer.allocate(8).putLong(crc).array();
        return Optional.of(new RequestBody.Checksum(algorithm, Base64.getEncoder().encodeToString(
                java.util.Arrays.copyOfRange(whole, 8 - algorithm.length(), 8))));
    }

    /** S3's checksum of checksums ("-N") when every part has one of the same algorithm. */
    private static Optional<RequestBody.Checksum> compositeChecksum(List<ListedPart> parts) {
        ChecksumAlgorithm algorithm = null;
        ChecksumAlgorithm.Hasher hasher = null;
        for (ListedPart p : parts) {
            String value = p.entry().metadata().get(S3Object.CHECKSUM);
            if (value == null) {
                return Optional.empty();
            }
            int colon = value.indexOf(':');
            ChecksumAlgorithm a = ChecksumAlgorithm.named(value.substring(0, colon)).orElse(null);
            if (a == null || (algorithm != null && a != algorithm)) {
                return Optional.empty();
            }
            if (hasher == null) {
                algorithm = a;
                hasher = a.newHasher();
            }
            byte[] raw = Base64.getDecoder().decode(value.substring(colon + 1));
            hasher.update(raw, 0, raw.length);
        }
        return Optional.of(new RequestBody.Checksum(algorithm, hasher.base64() + "-" + parts.size()));
    }

    private static Change<String> completion(String bucket, String key, String uploadId, ObjectChanges.Body content,
                                             String contentType, Map<String, String> metadata,
                                             Map<String, Long> partVersions) {
        Change<String> put = ObjectChanges.put(bucket, key, content, contentType, metadata,
                ObjectChanges.Conditions.NONE);
        return new Change<>() {
            @Override
            public Set<String> keys() {
                return Set.of(CommitQueue.EVERYTHING);
            }

            @Override
            public String apply(Snapshot base, Transaction tx, long version) {
                ObjectChanges.settings(base, bucket);
                if (base.entry(InternalKeys.upload(uploadId)).isEmpty()) {
                    throw noSuchUpload(uploadId);
                }
                for (Map.Entry<String, Long> p : partVersions.entrySet()) {
                    Optional<Entry> now = base.entry(p.getKey());
                    if (now.isEmpty() || now.get().version() != p.getValue()) {
                        throw new S3Exception(S3Error.INVALID_PART, "a part was uploaded again while the upload was "
                                + "completing; complete it again").field("UploadId", uploadId);
                    }
                }
                String versionId = put.apply(base, tx, version);
                removeUpload(base, tx, uploadId);
                return versionId;
            }

            @Override
            public String describe() {
                return "complete upload of " + key;
            }
        };
    }

    private static void removeUpload(Snapshot base, Transaction tx, String uploadId) {
        tx.delete(InternalKeys.upload(uploadId));
        for (Entry part : base.entries(InternalKeys.partsOf(uploadId))) {
            tx.delete(part.key());
        }
    }

    S3Response abort(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        String key = ObjectOps.checkKey(request.key());
        String uploadId = request.query("uploadId").orElse("");
        ctx.buckets().writable(bucket);
        upload(bucket.head(), uploadId, key);
        bucket.queue().commit(new Change<Void>() {
            @Override
            public Set<String> keys() {
                return Set.of(CommitQueue.EVERYTHING);
            }

            @Override
            public Void apply(Snapshot base, Transaction tx, long version) {
                ObjectChanges.settings(base, bucket.name());
                if (base.entry(InternalKeys.upload(uploadId)).isEmpty()) {
                    throw noSuchUpload(uploadId);
                }
                removeUpload(base, tx, uploadId);
                return null;
            }

            @Override
            public String describe() {
                return "abort upload " + uploadId;
            }
        });
        return S3Response.empty(204);
    }

    // ------------------------------------------------------------------------------------------------ listings

    S3Response listParts(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        String key = ObjectOps.checkKey(request.key());
        String uploadId = request.query("uploadId").orElse("");
        Snapshot snapshot = bucket.head();
        Upload upload = upload(snapshot, uploadId, key);
        int max = Listings.maxKeys(request, "max-parts");
        int marker = 0;
        Optional<String> markerText = request.query("part-number-marker");
        if (markerText.isPresent() && !markerText.get().isEmpty()) {
            try {
                marker = Integer.parseInt(markerText.get());
            } catch (NumberFormatException e) {
                throw S3Exception.invalidArgument("Provided part-number-marker not an integer or within integer range",
                        "part-number-marker", markerText.get());
            }
        }
        List<Entry> parts = new ArrayList<>();
        if (max > 0) {
            String after = marker > 0 ? InternalKeys.part(uploadId, Math.min(marker, MAX_PARTS)) : null;
            ListPage page = snapshot.list(new ListQuery(InternalKeys.partsOf(uploadId), null, after, max + 1));
            parts.addAll(page.entries());
        }
        boolean truncated = parts.size() > max;
        List<Entry> shown = truncated ? parts.subList(0, max) : parts;
        XmlWriter xml = XmlWriter.document("ListPartsResult").element("Bucket", bucket.name()).element("Key", key)
                .element("UploadId", uploadId);
        xml.start("Initiator").element("ID", bucket.owner()).element("DisplayName", bucket.owner()).end();
        BucketOps.owner(xml, bucket.owner());
        xml.element("StorageClass", upload.storageClass()).element("PartNumberMarker", marker);
        if (!shown.isEmpty()) {
            xml.element("NextPartNumberMarker", InternalKeys.partNumber(shown.getLast().key()));
        }
        xml.element("MaxParts", max).element("IsTruncated", truncated);
        Optional.ofNullable(upload.entry().metadata().get(CHECKSUM_ALGORITHM))
                .ifPresent(a -> xml.element("ChecksumAlgorithm", a));
        for (Entry part : shown) {
            xml.start("Part").element("PartNumber", InternalKeys.partNumber(part.key()))
                    .element("LastModified", part.modified())
                    .element("ETag", "\"" + part.metadata().getOrDefault(S3Object.ETAG, "") + "\"")
                    .element("Size", part.size());
            String checksum = part.metadata().get(S3Object.CHECKSUM);
            if (checksum != null) {
                int colon = checksum.indexOf(':');
                ChecksumAlgorithm.named(checksum.substring(0, colon))
                        .ifPresent(a -> xml.element(a.xmlName(), checksum.substring(colon + 1)));
            }
            xml.end();
        }
        return S3Response.ok(xml);
    }

    S3Response listUploads(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        S3Context.owner(auth, bucket);
        Snapshot snapshot = bucket.head();
        boolean url = Listings.urlEncoding(request);
        String prefix = request.query("prefix").orElse("");
        String delimiter = request.query("delimiter").filter(d -> !d.isEmpty()).orElse(null);
        String keyMarker = request.query("key-marker").orElse("");
        String uploadIdMarker = request.query("upload-id-marker").orElse("");
        int max = Listings.maxKeys(request, "max-uploads");
        List<Upload> uploads = new ArrayList<>();
        if (snapshot != null) {
            for (Entry e : snapshot.entries(InternalKeys.uploadsPrefix())) {
                Upload u = Upload.of(e);
                if (u.key() != null && u.key().startsWith(prefix)) {
                    uploads.add(u);
                }
            }
        }
        uploads.sort(Comparator.comparing((Upload u) -> u.key().getBytes(StandardCharsets.UTF_8), Keys.ORDER)
                .thenComparing(Upload::initiated).thenComparing(Upload::uploadId));
        // after the markers: keys after key-marker, and the marker key's uploads after upload-id-marker
        List<Object> items = new ArrayList<>(); // Upload or common prefix String
        boolean pastMarker = uploadIdMarker.isEmpty();
        String lastPrefix = null;
        for (Upload u : uploads) {
            int byKey = keyMarker.isEmpty() ? 1 : Keys.compare(u.key(), keyMarker);
            if (byKey < 0 || (byKey == 0 && uploadIdMarker.isEmpty())) {
                continue;
            }
            if (byKey == 0 && !pastMarker) {
                pastMarker = u.uploadId().equals(uploadIdMarker);
                continue;
            }
            if (delimiter != null) {
                int at = u.key().indexOf(delimiter, prefix.length());
                if (at >= 0) {
                    String common = u.key().substring(0, at + delimiter.length());
                    if (!common.equals(lastPrefix) && (keyMarker.isEmpty() || Keys.compare(common, keyMarker) > 0
                            || !keyMarker.startsWith(common))) {
                        items.add(common);
                        lastPrefix = common;
                    }
                    continue;
                }
            }
            items.add(u);
        }
        boolean truncated = items.size() > max;
        List<Object> page = truncated ? items.subList(0, max) : items;
        XmlWriter xml = XmlWriter.document("ListMultipartUploadsResult").element("Bucket", bucket.name())
                .element("KeyMarker", Listings.encode(keyMarker, url)).element("UploadIdMarker", uploadIdMarker);
        if (truncated) {
            Object last = page.getLast();
            if (last instanceof Upload u) {
                xml.element("NextKeyMarker", Listings.encode(u.key(), url)).element("NextUploadIdMarker", u.uploadId());
            } else {
                xml.element("NextKeyMarker", Listings.encode((String) last, url));
            }
        }
        if (delimiter != null) {
            xml.element("Delimiter", Listings.encode(delimiter, url));
        }
        xml.element("Prefix", Listings.encode(prefix, url)).element("MaxUploads", max);
        if (url) {
            xml.element("EncodingType", "url");
        }
        xml.element("IsTruncated", truncated);
        for (Object item : page) {
            if (item instanceof Upload u) {
                xml.start("Upload").element("Key", Listings.encode(u.key(), url)).element("UploadId", u.uploadId());
                xml.start("Initiator").element("ID", bucket.owner()).element("DisplayName", bucket.owner()).end();
                BucketOps.owner(xml, bucket.owner());
                xml.element("StorageClass", u.storageClass()).element("Initiated", u.initiated()).end();
            }
        }
        for (Object item : page) {
            if (item instanceof String common) {
                xml.start("CommonPrefixes").element("Prefix", Listings.encode(common, url)).end();
            }
        }
        return S3Response.ok(xml);
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from the JDK", e);
        }
    }

    /** A part whose ETag is not an MD5 (a copy of a multipart object): its ETag's own MD5 stands in. */
    private static String md5Of(String etag) {
        return HexFormat.of().formatHex(md5().digest(etag.getBytes(StandardCharsets.UTF_8)));
    }
}
