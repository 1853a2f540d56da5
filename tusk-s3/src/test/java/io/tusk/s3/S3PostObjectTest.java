package io.tusk.s3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browser POST uploads (an HTML form with a signed policy) against the S3 API on the shared in-process network, sent
 * as a browser sends them: multipart/form-data over a plain HTTP client, signed with SigV4 or with S3's first POST
 * signature (HMAC-SHA1 of the policy).
 */
@ExtendWith(SharedS3Network.class)
class S3PostObjectTest {
    static S3TestServer s3;
    static S3Client client;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Random RANDOM = new Random(TestSeeds.seed());

    @BeforeAll
    static void start(S3TestServer shared) {
        s3 = shared;
        client = s3.client();
        client.createBucket(b -> b.bucket("forms"));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void shouldStoreAFormSignedWithSigV4AsThePolicySays() throws Exception {
        String policy = policy(Instant.now().plus(1, ChronoUnit.HOURS), """
                {"bucket": "forms"}, ["starts-with", "$key", "uploads/"], ["starts-with", "$Content-Type", "text/"],
                ["eq", "$x-amz-meta-owner", "ana"], ["starts-with", "$tagging", ""],
                ["content-length-range", 1, 10485760],
                {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, ["starts-with", "$x-amz-credential", ""],
                ["starts-with", "$x-amz-date", ""]""");
        byte[] data = random(3 << 20); // larger than what the parser keeps in memory: spilled to a file, then stored
        Map<String, String> fields = sigV4Fields(policy);
        fields.put("key", "uploads/${filename}");
        fields.put("Content-Type", "text/plain");
        fields.put("x-amz-meta-owner", "ana");
        fields.put("tagging", "<Tagging><TagSet><Tag><Key>team</Key><Value>ml</Value></Tag></TagSet></Tagging>");
        HttpResponse<String> posted = post("forms", fields, "notes.txt", data);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(204);
        assertThat(posted.headers().firstValue("ETag")).hasValue("\"" + md5(data) + "\"");

        var got = client.getObjectAsBytes(b -> b.bucket("forms").key("uploads/notes.txt"));
        assertThat(got.asByteArray()).isEqualTo(data);
        assertThat(got.response().contentType()).isEqualTo("text/plain");
        assertThat(got.response().metadata()).containsEntry("owner", "ana");
        assertThat(client.getObjectTagging(b -> b.bucket("forms").key("uploads/notes.txt")).tagSet())
                .extracting(t -> t.key() + "=" + t.value()).containsExactly("team=ml");
    }

    @Test
    void shouldAnswerAsSuccessActionStatusAndRedirectSay() throws Exception {
        String policy = policy(Instant.now().plus(1, ChronoUnit.HOURS), """
                {"bucket": "forms"}, ["starts-with", "$key", ""], ["starts-with", "$success_action_status", ""],
                ["starts-with", "$success_action_redirect", ""]""");
        Map<String, String> fields = sigV2Fields(policy);
        fields.put("key", "created.txt");
        fields.put("success_action_status", "201");
        HttpResponse<String> created = post("forms", fields, "f", "made".getBytes(StandardCharsets.UTF_8));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("<Bucket>forms</Bucket>", "<Key>created.txt</Key>",
                "<ETag>&quot;" + md5("made".getBytes(StandardCharsets.UTF_8)) + "&quot;</ETag>");

        fields.remove("success_action_status");
        fields.put("key", "redirected.txt");
        fields.put("success_action_redirect", "http://example.com/done");
        HttpResponse<String> redirected = post("forms", fields, "f", "moved".getBytes(StandardCharsets.UTF_8));
        assertThat(redirected.statusCode()).isEqualTo(303);
        assertThat(redirected.headers().firstValue("Location")).hasValue("http://example.com/done?bucket=forms"
                + "&key=redirected.txt&etag=%22" + md5("moved".getBytes(StandardCharsets.UTF_8)) + "%22");
        assertThat(client.getObjectAsBytes(b -> b.bucket("forms").key("redirected.txt")).asUtf8String())
                .isEqualTo("moved");
    }

    @Test
    void shouldRefuseFormsThePolicyOrSignatureDoesNotAllow() throws Exception {
        String conditions = """
                {"bucket": "forms"}, ["starts-with", "$key", "ok/"], ["content-length-range", 0, 100]""";
        String policy = policy(Instant.now().plus(1, ChronoUnit.HOURS), conditions);
        byte[] small = "small".getBytes(StandardCharsets.UTF_8);

        Map<String, String> wrongSignature = sigV2Fields(policy);
        wrongSignature.put("signature", Base64.getEncoder().encodeToString(new byte[20]));
        wrongSignature.put("key", "ok/a");
        assertError(post("forms", wrongSignature, "f", small), 403, "SignatureDoesNotMatch");

        Map<String, String> keyOutside = sigV2Fields(policy);
        keyOutside.put("key", "elsewhere/a");
        assertError(post("forms", keyOutside, "f", small), 403, "AccessDenied");

        Map<String, String> extraField = sigV2Fields(policy);
        extraField.put("key", "ok/a");
        extraField.put("x-amz-meta-unlisted", "1");
        assertError(post("forms", extraField, "f", small), 403, "AccessDenied");
        extraField.remove("x-amz-meta-unlisted");
        extraField.put("x-ignore-anything", "1"); // S3 lets x-ignore-* through
        assertThat(post("forms", extraField, "f", small).statusCode()).isEqualTo(204);

        Map<String, String> tooLarge = sigV2Fields(policy);
        tooLarge.put("key", "ok/b");
        assertError(post("forms", tooLarge, "f", random(101)), 400, "EntityTooLarge");

        Map<String, String> expired = sigV2Fields(policy(Instant.now().minus(1, ChronoUnit.MINUTES), conditions));
        expired.put("key", "ok/c");
        assertError(post("forms", expired, "f", small), 403, "AccessDenied");

        Map<String, String> noKey = sigV2Fields(policy);
        assertError(post("forms", noKey, "f", small), 400, "InvalidArgument");

        Map<String, String> noExpiration = sigV2Fields(Base64.getEncoder().encodeToString(
                ("{\"conditions\": [" + conditions + "]}").getBytes(StandardCharsets.UTF_8)));
        noExpiration.put("key", "ok/d");
        assertError(post("forms", noExpiration, "f", small), 400, "InvalidPolicyDocument");

        Map<String, String> unsigned = new LinkedHashMap<>();
        unsigned.put("key", "ok/e");
        assertError(post("forms", unsigned, "f", small), 403, "AccessDenied"); // a private bucket
        assertThat(client.listObjectsV2(b -> b.bucket("forms").prefix("ok/")).contents())
                .extracting(o -> o.key()).containsExactly("ok/a");
    }

    @Test
    void shouldTakeUnsignedFormsAndPutsInAPublicReadWriteBucketOnly() throws Exception {
        client.createBucket(b -> b.bucket("open-forms").acl(BucketCannedACL.PUBLIC_READ_WRITE));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "guest.txt");
        fields.put("Content-Type", "text/plain");
        HttpResponse<String> posted = post("open-forms", fields, "f", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(204);
        assertThat(client.getObjectAsBytes(b -> b.bucket("open-forms").key("guest.txt")).asUtf8String())
                .isEqualTo("hello");
        // the same grant lets anonymous PUTs in, as in S3; a private bucket refuses them
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(s3.server.uri() + "/open-forms/put.txt"))
                .PUT(HttpRequest.BodyPublishers.ofString("anonymous")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(client.getObjectAsBytes(b -> b.bucket("open-forms").key("put.txt")).asUtf8String())
                .isEqualTo("anonymous");
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(s3.server.uri() + "/forms/put.txt"))
                .PUT(HttpRequest.BodyPublishers.ofString("anonymous")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static String policy(Instant expiration, String conditions) {
        String json = "{\"expiration\": \"" + expiration.truncatedTo(ChronoUnit.SECONDS) + "\", \"conditions\": ["
                + conditions + "]}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** S3's first POST signature: base64 HMAC-SHA1 of the base64 policy with the secret key. */
    static Map<String, String> sigV2Fields(String policy) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(s3.credentials.secretAccessKey().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("AWSAccessKeyId", s3.credentials.accessKeyId());
        fields.put("policy", policy);
        fields.put("signature", Base64.getEncoder().encodeToString(mac.doFinal(policy.getBytes(StandardCharsets.UTF_8))));
        return fields;
    }

    /** SigV4: the base64 policy signed with the day's signing key (AWS's "POST policy" signature). */
    static Map<String, String> sigV4Fields(String policy) {
        Instant now = Instant.now();
        String date = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(now);
        String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
        byte[] key = SigV4.signingKey(s3.credentials.secretAccessKey(), date, "us-east-1", "s3");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        fields.put("x-amz-credential", s3.credentials.accessKeyId() + "/" + date + "/us-east-1/s3/aws4_request");
        fields.put("x-amz-date", amzDate);
        fields.put("policy", policy);
        fields.put("x-amz-signature", SigV4.signature(key, policy));
        return fields;
    }

    /** A browser's form POST: the fields, then the file, as multipart/form-data. */
    static HttpResponse<String> post(String bucket, Map<String, String> fields, String filename, byte[] file)
            throws Exception {
        String boundary = "----tusk" + Long.toHexString(RANDOM.nextLong());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(s3.server.uri() + "/" + bucket))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("<Code>" + code + "</Code>");
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
