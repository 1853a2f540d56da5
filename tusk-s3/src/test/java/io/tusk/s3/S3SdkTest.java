package io.tusk.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AWS SDK for Java v2 against the S3 API on a real in-process network: buckets, objects with metadata, listings,
 * ranges, multipart uploads, versioning, conditional writes, copies, batch deletes and checksums.
 */
@ExtendWith(SharedS3Network.class)
class S3SdkTest {
    static S3TestServer s3;
    static S3Client client;
    static final Random RANDOM = new Random(TestSeeds.seed());

    @BeforeAll
    static void start(S3TestServer shared) throws Exception {
        s3 = shared;
        client = s3.client();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void shouldCreateListAndDeleteBucketsAndObjects() throws Exception {
        client.createBucket(b -> b.bucket("lifecycle"));
        assertThat(client.listBuckets().buckets()).extracting(b -> b.name()).contains("lifecycle");
        client.headBucket(b -> b.bucket("lifecycle"));

        byte[] data = random(10_000);
        var put = client.putObject(b -> b.bucket("lifecycle").key("docs/a.bin").contentType("application/x-test")
                .metadata(Map.of("color", "blue")).contentDisposition("attachment"), RequestBody.fromBytes(data));
        assertThat(put.eTag()).isEqualTo("\"" + md5(data) + "\"");
        client.putObject(b -> b.bucket("lifecycle").key("docs/b.txt"), RequestBody.fromString("bee"));
        client.putObject(b -> b.bucket("lifecycle").key("top.txt"), RequestBody.fromString("top"));

        ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket("lifecycle").key("docs/a.bin"));
        assertThat(got.asByteArray()).isEqualTo(data);
        assertThat(got.response().contentType()).isEqualTo("application/x-test");
        assertThat(got.response().metadata()).containsEntry("color", "blue");
        assertThat(got.response().contentDisposition()).isEqualTo("attachment");
        assertThat(got.response().eTag()).isEqualTo(put.eTag());
        HeadObjectResponse head = client.headObject(b -> b.bucket("lifecycle").key("docs/a.bin"));
        assertThat(head.contentLength()).isEqualTo(data.length);

        ListObjectsV2Response all = client.listObjectsV2(b -> b.bucket("lifecycle"));
        assertThat(all.contents()).extracting(S3Object::key).containsExactly("docs/a.bin", "docs/b.txt", "top.txt");
        ListObjectsV2Response rolled = client.listObjectsV2(b -> b.bucket("lifecycle").delimiter("/"));
        assertThat(rolled.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("docs/");
        assertThat(rolled.contents()).extracting(S3Object::key).containsExactly("top.txt");
        ListObjectsV2Response page = client.listObjectsV2(b -> b.bucket("lifecycle").maxKeys(2));
        assertThat(page.isTruncated()).isTrue();
        ListObjectsV2Response rest = client.listObjectsV2(b -> b.bucket("lifecycle")
                .continuationToken(page.nextContinuationToken()));
        assertThat(rest.contents()).extracting(S3Object::key).containsExactly("top.txt");
        assertThat(client.listObjects(b -> b.bucket("lifecycle").marker("docs/b.txt")).contents())
                .extracting(o -> o.key()).containsExactly("top.txt");

        assertThatThrownBy(() -> client.deleteBucket(b -> b.bucket("lifecycle")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("BucketNotEmpty"));
        for (String key : List.of("docs/a.bin", "docs/b.txt", "top.txt")) {
            client.deleteObject(b -> b.bucket("lifecycle").key(key));
        }
        assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket("lifecycle").key("top.txt")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
                });
        client.deleteBucket(b -> b.bucket("lifecycle"));
        assertThatThrownBy(() -> client.headBucket(b -> b.bucket("lifecycle")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        // the name is free again, and the same account may take it back
        client.createBucket(b -> b.bucket("lifecycle"));
        assertThat(client.listObjectsV2(b -> b.bucket("lifecycle")).contents()).isEmpty();
    }

    @Test
    void shouldServeRangesOfSmallAndLargeObjects() throws Exception {
        client.createBucket(b -> b.bucket("ranges"));
        byte[] small = random(5000);
        byte[] large = random(3 * 1024 * 1024 + 17);
        client.putObject(b -> b.bucket("ranges").key("small"), RequestBody.fromBytes(small));
        client.putObject(b -> b.bucket("ranges").key("large"), RequestBody.fromBytes(large));
        assertThat(client.getObjectAsBytes(b -> b.bucket("ranges").key("small").range("bytes=100-199")).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(small, 100, 200));
        var tail = client.getObjectAsBytes(b -> b.bucket("ranges").key("large").range("bytes=-1000"));
        assertThat(tail.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(large, large.length - 1000, large.length));
        assertThat(tail.response().contentRange()).isEqualTo("bytes " + (large.length - 1000) + "-" + (large.length - 1)
                + "/" + large.length);
        assertThat(client.getObjectAsBytes(b -> b.bucket("ranges").key("large").range("bytes=1048570-")).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(large, 1048570, large.length));
        assertThat(client.getObjectAsBytes(b -> b.bucket("ranges").key("large")).asByteArray()).isEqualTo(large);
        assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket("ranges").key("small").range("bytes=6000-7000")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(416));
    }

    @Test
    void shouldAssembleMultipartUploadsWithS3sEtag() throws Exception {
        client.createBucket(b -> b.bucket("multipart"));
        String uploadId = client.createMultipartUpload(b -> b.bucket("multipart").key("big.bin")
                .contentType("video/mp4").metadata(Map.of("origin", "test"))).uploadId();
        byte[][] parts = {random(5 << 20), random(5 << 20), random(1 << 20)};
        List<CompletedPart> completed = new ArrayList<>();
        MessageDigest md5s = MessageDigest.getInstance("MD5");
        for (int i = 0; i < parts.length; i++) {
            int n = i + 1;
            byte[] part = parts[i];
            String etag = client.uploadPart(b -> b.bucket("multipart").key("big.bin").uploadId(uploadId).partNumber(n),
                    RequestBody.fromBytes(part)).eTag();
            assertThat(etag).isEqualTo("\"" + md5(part) + "\"");
            md5s.update(MessageDigest.getInstance("MD5").digest(part));
            completed.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
        }
        assertThat(client.listParts(b -> b.bucket("multipart").key("big.bin").uploadId(uploadId)).parts())
                .extracting(p -> p.partNumber(), p -> p.size())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, (long) (5 << 20)),
                        org.assertj.core.groups.Tuple.tuple(2, (long) (5 << 20)),
                        org.assertj.core.groups.Tuple.tuple(3, (long) (1 << 20)));
        assertThat(client.listMultipartUploads(b -> b.bucket("multipart")).uploads()).extracting(u -> u.uploadId())
                .containsExactly(uploadId);
        var done = client.completeMultipartUpload(b -> b.bucket("multipart").key("big.bin").uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed)));
        String expectedEtag = "\"" + HexFormat.of().formatHex(md5s.digest()) + "-3\"";
        assertThat(done.eTag()).isEqualTo(expectedEtag);
        // a completion retried after it succeeded answers as the first one did; the upload itself is gone
        var again = client.completeMultipartUpload(b -> b.bucket("multipart").key("big.bin").uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed)));
        assertThat(again.eTag()).isEqualTo(expectedEtag);
        assertThat(client.listMultipartUploads(b -> b.bucket("multipart")).uploads()).isEmpty();

        ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket("multipart").key("big.bin"));
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            expected.writeBytes(p);
        }
        assertThat(got.asByteArray()).isEqualTo(expected.toByteArray());
        assertThat(got.response().eTag()).isEqualTo(expectedEtag);
        assertThat(got.response().contentType()).isEqualTo("video/mp4");
        assertThat(got.response().metadata()).containsEntry("origin", "test");
        var second = client.getObjectAsBytes(b -> b.bucket("multipart").key("big.bin").partNumber(2));
        assertThat(second.asByteArray()).isEqualTo(parts[1]);
        assertThat(second.response().partsCount()).isEqualTo(3);
        assertThat(client.listMultipartUploads(b -> b.bucket("multipart")).uploads()).isEmpty();

        // too small a part, a wrong ETag, and an aborted upload
        String small = client.createMultipartUpload(b -> b.bucket("multipart").key("small")).uploadId();
        String e1 = client.uploadPart(b -> b.bucket("multipart").key("small").uploadId(small).partNumber(1),
                RequestBody.fromBytes(random(1000))).eTag();
        String e2 = client.uploadPart(b -> b.bucket("multipart").key("small").uploadId(small).partNumber(2),
                RequestBody.fromBytes(random(1000))).eTag();
        assertThatThrownBy(() -> client.completeMultipartUpload(b -> b.bucket("multipart").key("small").uploadId(small)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("EntityTooSmall"));
        assertThatThrownBy(() -> client.completeMultipartUpload(b -> b.bucket("multipart").key("small").uploadId(small)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag("\"0123\"").build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidPart"));
        client.abortMultipartUpload(b -> b.bucket("multipart").key("small").uploadId(small));
        assertThatThrownBy(() -> client.listParts(b -> b.bucket("multipart").key("small").uploadId(small)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("NoSuchUpload"));
    }

    @Test
    void shouldKeepVersionsWithS3sSemantics() {
        client.createBucket(b -> b.bucket("versions"));
        client.putObject(b -> b.bucket("versions").key("k"), RequestBody.fromString("before versioning"));
        assertThat(client.getBucketVersioning(b -> b.bucket("versions")).status()).isNull();
        client.putBucketVersioning(b -> b.bucket("versions").versioningConfiguration(v ->
                v.status(BucketVersioningStatus.ENABLED)));
        assertThat(client.getBucketVersioning(b -> b.bucket("versions")).status()).isEqualTo(BucketVersioningStatus.ENABLED);

        String v1 = client.putObject(b -> b.bucket("versions").key("k"), RequestBody.fromString("one")).versionId();
        String v2 = client.putObject(b -> b.bucket("versions").key("k"), RequestBody.fromString("two")).versionId();
        assertThat(v1).isNotEqualTo("null").isNotEqualTo(v2);
        assertThat(client.getObjectAsBytes(b -> b.bucket("versions").key("k")).asUtf8String()).isEqualTo("two");
        assertThat(client.getObjectAsBytes(b -> b.bucket("versions").key("k").versionId(v1)).asUtf8String())
                .isEqualTo("one");
        assertThat(client.getObjectAsBytes(b -> b.bucket("versions").key("k").versionId("null")).asUtf8String())
                .isEqualTo("before versioning");

        var marker = client.deleteObject(b -> b.bucket("versions").key("k"));
        assertThat(marker.deleteMarker()).isTrue();
        assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket("versions").key("k")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThat(client.listObjectsV2(b -> b.bucket("versions")).contents()).isEmpty();

        ListObjectVersionsResponse versions = client.listObjectVersions(b -> b.bucket("versions"));
        assertThat(versions.deleteMarkers()).singleElement().satisfies(m -> {
            assertThat(m.versionId()).isEqualTo(marker.versionId());
            assertThat(m.isLatest()).isTrue();
        });
        assertThat(versions.versions()).extracting(ObjectVersion::versionId).containsExactly(v2, v1, "null");
        assertThat(versions.versions()).extracting(ObjectVersion::isLatest).containsOnly(false);

        // removing the delete marker brings the object back; removing a version for good drops it
        client.deleteObject(b -> b.bucket("versions").key("k").versionId(marker.versionId()));
        assertThat(client.getObjectAsBytes(b -> b.bucket("versions").key("k")).asUtf8String()).isEqualTo("two");
        client.deleteObject(b -> b.bucket("versions").key("k").versionId(v2));
        assertThat(client.getObjectAsBytes(b -> b.bucket("versions").key("k")).asUtf8String()).isEqualTo("one");
        assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket("versions").key("k").versionId(v2)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("NoSuchVersion"));

        // suspended: new writes are the null version, replacing the old null version
        client.putBucketVersioning(b -> b.bucket("versions").versioningConfiguration(v ->
                v.status(BucketVersioningStatus.SUSPENDED)));
        String nullVersion = client.putObject(b -> b.bucket("versions").key("k"), RequestBody.fromString("three"))
                .versionId();
        assertThat(nullVersion).as("a null version's write answers no version ID, as in ceph's s3-tests").isNull();
        assertThat(client.listObjectVersions(b -> b.bucket("versions")).versions()).extracting(ObjectVersion::versionId)
                .containsExactly("null", v1);
        assertThat(client.getObjectAsBytes(b -> b.bucket("versions").key("k").versionId("null")).asUtf8String())
                .isEqualTo("three");
    }

    @Test
    void shouldMakeConditionalWritesAtomic() {
        client.createBucket(b -> b.bucket("conditions"));
        client.putObject(b -> b.bucket("conditions").key("once").ifNoneMatch("*"), RequestBody.fromString("first"));
        assertThatThrownBy(() -> client.putObject(b -> b.bucket("conditions").key("once").ifNoneMatch("*"),
                RequestBody.fromString("second")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        String etag = client.headObject(b -> b.bucket("conditions").key("once")).eTag();
        client.putObject(b -> b.bucket("conditions").key("once").ifMatch(etag), RequestBody.fromString("third"));
        assertThatThrownBy(() -> client.putObject(b -> b.bucket("conditions").key("once").ifMatch(etag),
                RequestBody.fromString("fourth")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(client.getObjectAsBytes(b -> b.bucket("conditions").key("once")).asUtf8String()).isEqualTo("third");
        // If-None-Match with an ETag: not that object; If-Match: * any object, none is NoSuchKey
        String third = client.headObject(b -> b.bucket("conditions").key("once")).eTag();
        assertThatThrownBy(() -> client.putObject(b -> b.bucket("conditions").key("once").ifNoneMatch(third),
                RequestBody.fromString("fifth")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        client.putObject(b -> b.bucket("conditions").key("once").ifNoneMatch(etag), RequestBody.fromString("sixth"));
        client.putObject(b -> b.bucket("conditions").key("once").ifMatch("*"), RequestBody.fromString("seventh"));
        assertThatThrownBy(() -> client.putObject(b -> b.bucket("conditions").key("absent").ifMatch("*"),
                RequestBody.fromString("eighth")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThat(client.getObjectAsBytes(b -> b.bucket("conditions").key("once")).asUtf8String()).isEqualTo("seventh");

        // many writers race for one key with If-None-Match: *: exactly one wins
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> racers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                racers.add(pool.submit(() -> {
                    try {
                        client.putObject(b -> b.bucket("conditions").key("race").ifNoneMatch("*"),
                                RequestBody.fromString("writer " + n));
                        return true;
                    } catch (S3Exception e) {
                        assertThat(e.statusCode()).isEqualTo(412);
                        return false;
                    }
                }));
            }
            int winners = 0;
            for (Future<Boolean> f : racers) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldCopyWithinAndAcrossBucketsAndDeleteInBatches() throws Exception {
        client.createBucket(b -> b.bucket("copy-src"));
        client.createBucket(b -> b.bucket("copy-dst"));
        byte[] data = random(2 << 20);
        client.putObject(b -> b.bucket("copy-src").key("orig").metadata(Map.of("a", "1")), RequestBody.fromBytes(data));
        client.copyObject(b -> b.sourceBucket("copy-src").sourceKey("orig").destinationBucket("copy-src")
                .destinationKey("same"));
        client.copyObject(b -> b.sourceBucket("copy-src").sourceKey("orig").destinationBucket("copy-dst")
                .destinationKey("other").metadataDirective("REPLACE").metadata(Map.of("b", "2")));
        var same = client.getObjectAsBytes(b -> b.bucket("copy-src").key("same"));
        assertThat(same.asByteArray()).isEqualTo(data);
        assertThat(same.response().metadata()).containsEntry("a", "1");
        var other = client.getObjectAsBytes(b -> b.bucket("copy-dst").key("other"));
        assertThat(other.asByteArray()).isEqualTo(data);
        assertThat(other.response().metadata()).isEqualTo(Map.of("b", "2"));
        assertThat(other.response().eTag()).isEqualTo("\"" + md5(data) + "\"");

        for (int i = 0; i < 20; i++) {
            int n = i;
            client.putObject(b -> b.bucket("copy-dst").key("batch/" + n), RequestBody.fromString("x" + n));
        }
        List<ObjectIdentifier> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(ObjectIdentifier.builder().key("batch/" + i).build());
        }
        DeleteObjectsResponse deleted = client.deleteObjects(b -> b.bucket("copy-dst").delete(Delete.builder()
                .objects(ids).build()));
        assertThat(deleted.deleted()).hasSize(20);
        assertThat(deleted.errors()).isEmpty();
        assertThat(client.listObjectsV2(b -> b.bucket("copy-dst").prefix("batch/")).contents()).isEmpty();
    }

    @Test
    void shouldCheckAndReturnAdditionalChecksums() {
        client.createBucket(b -> b.bucket("checksums"));
        // CRC64NVME needs the SDK's native CRT; ChecksumAlgorithmTest checks Tusk's against its published check value
        for (ChecksumAlgorithm algorithm : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C,
                ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256)) {
            byte[] data = random(3000 + algorithm.ordinal());
            String key = "sum-" + algorithm;
            client.putObject(b -> b.bucket("checksums").key(key).checksumAlgorithm(algorithm), RequestBody.fromBytes(data));
            var got = client.getObjectAsBytes(b -> b.bucket("checksums").key(key).checksumMode(ChecksumMode.ENABLED));
            assertThat(got.asByteArray()).isEqualTo(data);
            String returned = switch (algorithm) {
                case CRC32 -> got.response().checksumCRC32();
                case CRC32_C -> got.response().checksumCRC32C();
                case SHA1 -> got.response().checksumSHA1();
                case SHA256 -> got.response().checksumSHA256();
                default -> null;
            };
            assertThat(returned).as(algorithm.toString()).isNotNull();
        }
    }

    @Test
    void shouldBatchConcurrentWritesIntoFewCommits() throws Exception {
        client.createBucket(b -> b.bucket("concurrent"));
        long before = s3.cluster.client().control().space(S3Account.of(s3.cluster.client()).address(), "concurrent")
                .orElseThrow().version();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                puts.add(pool.submit(() -> client.putObject(b -> b.bucket("concurrent").key("k" + n),
                        RequestBody.fromString("value " + n))));
            }
            for (Future<?> f : puts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(client.listObjectsV2(b -> b.bucket("concurrent")).keyCount()).isEqualTo(64);
        long after = s3.cluster.client().control().space(S3Account.of(s3.cluster.client()).address(), "concurrent")
                .orElseThrow().version();
        // 64 writes, 16 at a time: each commit carries what arrived while the previous one was landing
        assertThat(after - before).isLessThan(64);
        System.out.println("[s3-test] 64 concurrent PUTs made " + (after - before) + " space versions");
    }

    @Test
    void shouldAcceptPresignedUrlsAndVirtualHostsAndRefuseAnonymousUnlessPublic() throws Exception {
        client.createBucket(b -> b.bucket("shared"));
        byte[] data = random(3_000);
        var presigner = s3.presigner();
        var http = java.net.http.HttpClient.newHttpClient();
        try {
            // a presigned PUT and GET: the signature is in the query, the body unsigned
            var put = presigner.presignPutObject(b -> b.signatureDuration(java.time.Duration.ofMinutes(5))
                    .putObjectRequest(o -> o.bucket("shared").key("link.bin")));
            var stored = http.send(java.net.http.HttpRequest.newBuilder(put.url().toURI())
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(data)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            var get = presigner.presignGetObject(b -> b.signatureDuration(java.time.Duration.ofMinutes(5))
                    .getObjectRequest(o -> o.bucket("shared").key("link.bin")));
            var read = http.send(java.net.http.HttpRequest.newBuilder(get.url().toURI()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo(data);
            // a tampered presigned URL is refused
            var forged = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    get.url().toString().replace("link.bin", "other.bin"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(forged.body()).contains("<Code>SignatureDoesNotMatch</Code>");

            // anonymous reads are refused on a private bucket, allowed once it is public-read; writes never
            java.net.URI plain = java.net.URI.create(s3.server.uri() + "/shared/link.bin");
            var anonymous = http.send(java.net.http.HttpRequest.newBuilder(plain).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(403);
            assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>");
            client.putBucketAcl(b -> b.bucket("shared").acl("public-read"));
            var open = http.send(java.net.http.HttpRequest.newBuilder(plain).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.body()).isEqualTo(data);
            var anonymousPut = http.send(java.net.http.HttpRequest.newBuilder(plain)
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(anonymousPut.statusCode()).isEqualTo(403);
        } finally {
            presigner.close();
        }

        // virtual-host addressing: shared.localhost:PORT/KEY
        try (S3Client virtualHost = s3.client(s3.credentials, false)) {
            virtualHost.putObject(b -> b.bucket("shared").key("vh.txt"), RequestBody.fromString("virtual"));
            assertThat(virtualHost.getObjectAsBytes(b -> b.bucket("shared").key("vh.txt")).asUtf8String())
                    .isEqualTo("virtual");
        }
        assertThat(client.getObjectAsBytes(b -> b.bucket("shared").key("vh.txt")).asUtf8String()).isEqualTo("virtual");
    }
}
