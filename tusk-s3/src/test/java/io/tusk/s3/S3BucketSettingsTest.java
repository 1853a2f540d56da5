package io.tusk.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Type;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bucket settings through the AWS SDK for Java v2 on the shared in-process network: bucket tagging, paginated
 * ListBuckets, and ACL grants (x-amz-grant-* headers and AccessControlPolicy documents) on buckets and objects, with
 * anonymous reads allowed exactly where a grant says.
 */
@ExtendWith(SharedS3Network.class)
class S3BucketSettingsTest {
    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    static S3TestServer s3;
    static S3Client client;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start(S3TestServer shared) {
        s3 = shared;
        client = s3.client();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void shouldPutGetAndDeleteBucketTags() {
        client.createBucket(b -> b.bucket("tagged"));
        assertThatThrownBy(() -> client.getBucketTagging(b -> b.bucket("tagged")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("NoSuchTagSet"));
        client.putBucketTagging(b -> b.bucket("tagged").tagging(t -> t.tagSet(
                Tag.builder().key("project").value("memory").build(), Tag.builder().key("cost center").value("42").build())));
        assertThat(client.getBucketTagging(b -> b.bucket("tagged")).tagSet())
                .extracting(t -> t.key() + "=" + t.value()).containsExactly("project=memory", "cost center=42");
        List<Tag> tooMany = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            tooMany.add(Tag.builder().key("k" + i).value("v").build());
        }
        assertThatThrownBy(() -> client.putBucketTagging(b -> b.bucket("tagged").tagging(t -> t.tagSet(tooMany))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidTag"));
        client.deleteBucketTagging(b -> b.bucket("tagged"));
        assertThatThrownBy(() -> client.getBucketTagging(b -> b.bucket("tagged")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("NoSuchTagSet"));
    }

    @Test
    void shouldPageListBucketsByPrefixAndContinuationToken() {
        for (String name : List.of("page-c", "page-a", "page-e", "page-b", "page-d")) {
            client.createBucket(b -> b.bucket(name));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String from = token;
            ListBucketsResponse page = client.listBuckets(b -> b.prefix("page-").maxBuckets(2).continuationToken(from));
            assertThat(page.buckets()).hasSizeLessThanOrEqualTo(2);
            page.buckets().stream().map(Bucket::name).forEach(seen::add);
            assertThat(page.prefix()).isEqualTo("page-");
            token = page.continuationToken();
            pages++;
        } while (token != null);
        assertThat(seen).containsExactly("page-a", "page-b", "page-c", "page-d", "page-e");
        assertThat(pages).isEqualTo(3);
        assertThat(client.listBuckets().buckets()).extracting(Bucket::name).contains("page-a", "page-e");
        assertThatThrownBy(() -> client.listBuckets(b -> b.maxBuckets(0)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidArgument"));
    }

    @Test
    void shouldKeepAclGrantsOnBucketsAndObjectsAndHonourTheirReads() throws Exception {
        String someone = "0x" + "ab".repeat(32);
        client.createBucket(b -> b.bucket("granted").grantRead("uri=\"" + ALL_USERS + "\"")
                .grantReadACP("id=\"" + someone + "\""));
        GetBucketAclResponse acl = client.getBucketAcl(b -> b.bucket("granted"));
        assertThat(acl.grants()).extracting(g -> g.grantee().typeAsString(), g -> granteeOf(g), g -> g.permissionAsString())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("CanonicalUser", acl.owner().id(), "FULL_CONTROL"),
                        org.assertj.core.groups.Tuple.tuple("Group", ALL_USERS, "READ"),
                        org.assertj.core.groups.Tuple.tuple("CanonicalUser", someone, "READ_ACP"));
        client.putObject(b -> b.bucket("granted").key("open.txt"), RequestBody.fromString("open"));
        assertThat(anonymousGet("granted", "open.txt").statusCode()).isEqualTo(200);

        // an AccessControlPolicy document replaces the grants: the bucket is private again
        client.putBucketAcl(b -> b.bucket("granted").accessControlPolicy(p -> p.owner(acl.owner()).grants(
                Grant.builder().grantee(Grantee.builder().type(Type.CANONICAL_USER).id(someone).build())
                        .permission(Permission.WRITE).build())));
        List<Grant> replaced = client.getBucketAcl(b -> b.bucket("granted")).grants();
        assertThat(replaced).extracting(g -> granteeOf(g), g -> g.permissionAsString()).contains(
                org.assertj.core.groups.Tuple.tuple(someone, "WRITE"));
        assertThat(replaced).noneMatch(g -> ALL_USERS.equals(g.grantee().uri()));
        assertThat(anonymousGet("granted", "open.txt").statusCode()).isEqualTo(403);

        // an object's own grant opens that object only; PutObjectAcl takes it back
        client.putObject(b -> b.bucket("granted").key("shared.txt").grantRead("uri=\"" + ALL_USERS + "\""),
                RequestBody.fromString("shared"));
        HttpResponse<String> shared = anonymousGet("granted", "shared.txt");
        assertThat(shared.statusCode()).isEqualTo(200);
        assertThat(shared.body()).isEqualTo("shared");
        assertThat(client.getObjectAcl(b -> b.bucket("granted").key("shared.txt")).grants())
                .extracting(g -> granteeOf(g), g -> g.permissionAsString())
                .contains(org.assertj.core.groups.Tuple.tuple(ALL_USERS, "READ"));
        HttpResponse<String> missing = anonymousGet("granted", "no-such-key");
        assertThat(missing.statusCode()).isEqualTo(403); // who may not read the bucket learns nothing of its keys
        client.putObjectAcl(b -> b.bucket("granted").key("shared.txt").acl(ObjectCannedACL.PRIVATE));
        assertThat(anonymousGet("granted", "shared.txt").statusCode()).isEqualTo(403);
        assertThat(client.getObjectAcl(b -> b.bucket("granted").key("shared.txt")).grants()).hasSize(1);

        assertThatThrownBy(() -> client.putObject(b -> b.bucket("granted").key("both").acl(ObjectCannedACL.PUBLIC_READ)
                .grantRead("uri=\"" + ALL_USERS + "\""), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    private static String granteeOf(Grant g) {
        return g.grantee().uri() != null ? g.grantee().uri() : g.grantee().id();
    }

    private static HttpResponse<String> anonymousGet(String bucket, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(s3.server.uri() + "/" + bucket + "/" + key)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
