package io.tusk.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Object details through the AWS SDK for Java v2 on the shared in-process network: GetObjectAttributes (ETag,
 * checksum, paged parts, size), part numbers past the last part, a completion's whole-object checksum, and user
 * metadata with non-ASCII text (signed and returned byte for byte).
 */
@ExtendWith(SharedS3Network.class)
class S3ObjectDetailsTest {
    static S3Client client;
    static final Random RANDOM = new Random(TestSeeds.seed());
    static final int PART = 5 << 20;

    @BeforeAll
    static void start(S3TestServer s3) {
        client = s3.client();
        client.createBucket(b -> b.bucket("details"));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void shouldDescribeMultipartObjectsAndCheckTheirWholeObjectChecksum() throws Exception {
        String uploadId = client.createMultipartUpload(b -> b.bucket("details").key("parts.bin")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
        byte[][] parts = {random(PART), random(PART), random(1000)};
        List<CompletedPart> completed = new ArrayList<>();
        MessageDigest ofChecksums = MessageDigest.getInstance("SHA-256");
        List<String> partChecksums = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            int n = i + 1;
            byte[] part = parts[i];
            var uploaded = client.uploadPart(b -> b.bucket("details").key("parts.bin").uploadId(uploadId).partNumber(n)
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromBytes(part));
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(part);
            assertThat(uploaded.checksumSHA256()).isEqualTo(Base64.getEncoder().encodeToString(sha));
            ofChecksums.update(sha);
            partChecksums.add(uploaded.checksumSHA256());
            completed.add(CompletedPart.builder().partNumber(n).eTag(uploaded.eTag())
                    .checksumSHA256(uploaded.checksumSHA256()).build());
        }
        String composite = Base64.getEncoder().encodeToString(ofChecksums.digest()) + "-3";

        // the completion's checksum is the whole object's (S3's checksum of the parts' checksums), not the body's
        assertThatThrownBy(() -> client.completeMultipartUpload(b -> b.bucket("details").key("parts.bin")
                .uploadId(uploadId).checksumSHA256(Base64.getEncoder().encodeToString(new byte[32]) + "-3")
                .multipartUpload(m -> m.parts(completed))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("BadDigest"));
        var done = client.completeMultipartUpload(b -> b.bucket("details").key("parts.bin").uploadId(uploadId)
                .checksumSHA256(composite).multipartUpload(m -> m.parts(completed)));
        assertThat(done.checksumSHA256()).isEqualTo(composite);

        GetObjectAttributesResponse all = client.getObjectAttributes(b -> b.bucket("details").key("parts.bin")
                .objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_PARTS,
                        ObjectAttributes.STORAGE_CLASS, ObjectAttributes.OBJECT_SIZE));
        assertThat("\"" + all.eTag() + "\"").isEqualTo(done.eTag());
        assertThat(all.objectSize()).isEqualTo(2L * PART + 1000);
        assertThat(all.storageClassAsString()).isEqualTo("STANDARD");
        assertThat(all.checksum().checksumSHA256()).isEqualTo(composite);
        assertThat(all.objectParts().totalPartsCount()).isEqualTo(3);
        assertThat(all.objectParts().parts()).extracting(p -> p.partNumber(), p -> p.size(), p -> p.checksumSHA256())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, (long) PART, partChecksums.get(0)),
                        org.assertj.core.groups.Tuple.tuple(2, (long) PART, partChecksums.get(1)),
                        org.assertj.core.groups.Tuple.tuple(3, 1000L, partChecksums.get(2)));
        GetObjectAttributesResponse page = client.getObjectAttributes(b -> b.bucket("details").key("parts.bin")
                .objectAttributes(ObjectAttributes.OBJECT_PARTS).maxParts(1).partNumberMarker(1));
        assertThat(page.objectParts().isTruncated()).isTrue();
        assertThat(page.objectParts().nextPartNumberMarker()).isEqualTo(2);
        assertThat(page.objectParts().parts()).extracting(p -> p.partNumber()).containsExactly(2);
        assertThat(page.eTag()).isNull(); // only what was asked for

        // part numbers: a part of the object, and past the last one S3's 400 InvalidPart (not a range error)
        assertThat(client.getObjectAsBytes(b -> b.bucket("details").key("parts.bin").partNumber(3)).asByteArray())
                .isEqualTo(parts[2]);
        assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket("details").key("parts.bin").partNumber(4)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPart");
                });
    }

    @Test
    void shouldMakeFullObjectCrcsOfMultipartUploads() {
        String uploadId = client.createMultipartUpload(b -> b.bucket("details").key("full.bin")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        byte[][] parts = {random(PART), random(12_345)};
        java.util.zip.CRC32 whole = new java.util.zip.CRC32();
        List<CompletedPart> completed = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            int n = i + 1;
            byte[] part = parts[i];
            whole.update(part);
            var uploaded = client.uploadPart(b -> b.bucket("details").key("full.bin").uploadId(uploadId).partNumber(n)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(part));
            completed.add(CompletedPart.builder().partNumber(n).eTag(uploaded.eTag())
                    .checksumCRC32(uploaded.checksumCRC32()).build());
        }
        String expected = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4)
                .putInt((int) whole.getValue()).array());
        var done = client.completeMultipartUpload(b -> b.bucket("details").key("full.bin").uploadId(uploadId)
                .checksumCRC32(expected).checksumType(ChecksumType.FULL_OBJECT).multipartUpload(m -> m.parts(completed)));
        assertThat(done.checksumCRC32()).isEqualTo(expected);
        assertThat(done.checksumTypeAsString()).isEqualTo("FULL_OBJECT");
        assertThatThrownBy(() -> client.createMultipartUpload(b -> b.bucket("details").key("sha.bin")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumType(ChecksumType.FULL_OBJECT)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void shouldDescribeSinglePartObjectsAndRefuseTheirSecondPart() {
        client.putObject(b -> b.bucket("details").key("one.txt"), RequestBody.fromString("one"));
        GetObjectAttributesResponse attributes = client.getObjectAttributes(b -> b.bucket("details").key("one.txt")
                .objectAttributes(ObjectAttributes.OBJECT_SIZE, ObjectAttributes.OBJECT_PARTS, ObjectAttributes.E_TAG));
        assertThat(attributes.objectSize()).isEqualTo(3L);
        assertThat(attributes.objectParts()).isNull(); // not a multipart object
        assertThat(attributes.eTag()).isEqualTo("f97c5d29941bfb1b2fdab0874906ab82"); // MD5 of "one"
        assertThat(client.getObjectAsBytes(b -> b.bucket("details").key("one.txt").partNumber(1)).asUtf8String())
                .isEqualTo("one");
        assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket("details").key("one.txt").partNumber(2)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidPart"));
        assertThatThrownBy(() -> client.getObjectAttributes(b -> b.bucket("details").key("missing")
                .objectAttributes(ObjectAttributes.OBJECT_SIZE)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void shouldSignAndReturnNonAsciiUserMetadata() {
        // the SDK sends header text as bytes (Latin-1) and signs the text: the server reads the bytes back as text
        client.putObject(b -> b.bucket("details").key("unicode.txt").metadata(Map.of("note", "café crème")),
                RequestBody.fromString("x"));
        assertThat(client.headObject(b -> b.bucket("details").key("unicode.txt")).metadata())
                .containsEntry("note", "café crème");
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
