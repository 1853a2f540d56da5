package io.tusk.gateway.auth;

import io.tusk.core.api.ErrorReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import static io.tusk.gateway.auth.TestTokens.b64;
import static io.tusk.gateway.auth.TestTokens.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JWS checks against the examples of RFC 7515 (appendices A.1 and A.3) and RFC 8037 (A.4), so the verifier is
 * right on its own and not only consistent with a signer of ours; the key forms Walrus's publisher takes; and
 * every malformed or mismatched token refused with its reason.
 */
class JwtVerifierTest {
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();

    // RFC 7515 A.1: HMAC SHA-256; the same payload is signed in A.3.
    private static final String RFC7515_PAYLOAD = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
            + "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    private static final String A1_TOKEN = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9." + RFC7515_PAYLOAD
            + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String A1_KEY = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwj"
            + "AzZr1Z9CAow";
    // RFC 7515 A.3: ECDSA P-256 SHA-256.
    private static final String A3_TOKEN = "eyJhbGciOiJFUzI1NiJ9." + RFC7515_PAYLOAD
            + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    private static final String A3_X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    private static final String A3_Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
    // RFC 8037 A.4: Ed25519.
    private static final String ED_TOKEN = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
            + "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
    private static final String ED_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

    private static JwtVerifier verifier(JwtAlgorithm algorithm, String secret) {
        return new JwtVerifier(algorithm, JwtKey.decode(secret, algorithm));
    }

    private static byte[] uncompressedPoint(String x, String y) {
        byte[] point = new byte[65];
        point[0] = 4;
        System.arraycopy(B64.decode(x), 0, point, 1, 32);
        System.arraycopy(B64.decode(y), 0, point, 33, 32);
        return point;
    }

    @Test
    void shouldVerifyTheRfc7515Hs256Example() {
        byte[] payload = verifier(JwtAlgorithm.HS256, hex(B64.decode(A1_KEY))).verifiedPayload(A1_TOKEN);
        assertThat(payload).isEqualTo(B64.decode(RFC7515_PAYLOAD));
        assertThat(new String(payload, StandardCharsets.UTF_8)).contains("\"iss\":\"joe\"");
    }

    @Test
    void shouldVerifyTheRfc7515Es256ExampleWithTheKeyAsPointDerOrPem() throws Exception {
        byte[] point = uncompressedPoint(A3_X, A3_Y);
        assertThat(verifier(JwtAlgorithm.ES256, hex(point)).verifiedPayload(A3_TOKEN))
                .isEqualTo(B64.decode(RFC7515_PAYLOAD));
        // The same key as X.509 SubjectPublicKeyInfo, in DER (hex) and PEM (text).
        byte[] spki = ((ECPublicKey) JwtKey.decode(hex(point), JwtAlgorithm.ES256).publicKey()).getEncoded();
        assertThat(verifier(JwtAlgorithm.ES256, hex(spki)).verifiedPayload(A3_TOKEN)).isNotEmpty();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(spki)
                + "\n-----END PUBLIC KEY-----\n";
        assertThat(verifier(JwtAlgorithm.ES256, pem).verifiedPayload(A3_TOKEN)).isNotEmpty();
    }

    @Test
    void shouldVerifyTheRfc8037Ed25519Example() {
        byte[] payload = verifier(JwtAlgorithm.EdDSA, hex(B64.decode(ED_X))).verifiedPayload(ED_TOKEN);
        assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("Example of Ed25519 signing");
    }

    @Test
    void shouldRefuseEachExampleWithOneSignatureBitFlipped() {
        assertRefused(verifier(JwtAlgorithm.HS256, hex(B64.decode(A1_KEY))), flipLastSignatureBit(A1_TOKEN),
                ErrorReason.INVALID_TOKEN_SIGNATURE);
        assertRefused(verifier(JwtAlgorithm.ES256, hex(uncompressedPoint(A3_X, A3_Y))), flipLastSignatureBit(A3_TOKEN),
                ErrorReason.INVALID_TOKEN_SIGNATURE);
        assertRefused(verifier(JwtAlgorithm.EdDSA, hex(B64.decode(ED_X))), flipLastSignatureBit(ED_TOKEN),
                ErrorReason.INVALID_TOKEN_SIGNATURE);
        // The right signature over a changed payload.
        String forged = A1_TOKEN.replace(RFC7515_PAYLOAD, b64("{\"iss\":\"joe\",\"exp\":9999999999}"));
        assertRefused(verifier(JwtAlgorithm.HS256, hex(B64.decode(A1_KEY))), forged, ErrorReason.INVALID_TOKEN_SIGNATURE);
        // Another key.
        assertRefused(verifier(JwtAlgorithm.HS256, "another secret"), A1_TOKEN, ErrorReason.INVALID_TOKEN_SIGNATURE);
    }

    private static String flipLastSignatureBit(String token) {
        int dot = token.lastIndexOf('.');
        byte[] signature = B64.decode(token.substring(dot + 1));
        signature[signature.length - 1] ^= 1;
        return token.substring(0, dot + 1) + b64(signature);
    }

    @Test
    void shouldRefuseATokenOfAnotherAlgorithmThanTheConfiguredOne() throws Exception {
        // An HS256 token whose "secret" is the publisher's public key: the classic algorithm confusion.
        byte[] point = uncompressedPoint(A3_X, A3_Y);
        String confused = TestTokens.hs256("{\"exp\":9999999999,\"jti\":\"x\"}", hex(point).getBytes());
        assertRefused(verifier(JwtAlgorithm.ES256, hex(point)), confused, ErrorReason.INVALID_TOKEN);
        assertRefused(verifier(JwtAlgorithm.HS384, hex(B64.decode(A1_KEY))), A1_TOKEN, ErrorReason.INVALID_TOKEN);
        String none = b64("{\"alg\":\"none\"}") + "." + b64("{\"exp\":9999999999,\"jti\":\"x\"}") + ".";
        assertRefused(verifier(JwtAlgorithm.HS256, "secret"), none, ErrorReason.INVALID_TOKEN);
        assertRefused(new JwtVerifier(JwtAlgorithm.HS256, null), none, ErrorReason.INVALID_TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a.b", "a.b.c.d", "eyJhbGciOiJIUzI1NiJ9..sig", ".e30.sig",
            "eyJhbGciOiJIUzI1NiJ9.e30=.sig", "eyJhbGciOiJIUzI1NiJ9.e30.s+g/", "bm90IGpzb24.e30.sig",
            "WzFd.e30.sig", "e30.e30.sig", "eyJhbGciOjF9.e30.sig"})
    void shouldRefuseMalformedTokensAsInvalid(String token) {
        assertRefused(verifier(JwtAlgorithm.HS256, "secret"), token, ErrorReason.INVALID_TOKEN);
    }

    @Test
    void shouldRefuseCriticalHeaderExtensionsAndOverlongTokens() {
        String crit = TestTokens.b64("{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}") + ".e30.sig";
        assertRefused(verifier(JwtAlgorithm.HS256, "secret"), crit, ErrorReason.INVALID_TOKEN);
        String huge = "a".repeat(JwtVerifier.MAX_TOKEN_CHARS) + ".b.c";
        assertRefused(verifier(JwtAlgorithm.HS256, "secret"), huge, ErrorReason.INVALID_TOKEN);
    }

    @Test
    void shouldTakeRsaKeysAsSpkiPkcs1OrPemAndCheckRs256AndPs256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        RSAPublicKey rsa = (RSAPublicKey) pair.getPublic();
        byte[] pkcs1 = new org.bouncycastle.asn1.pkcs.RSAPublicKey(rsa.getModulus(), rsa.getPublicExponent()).getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(spki) + "\n-----END PUBLIC KEY-----";
        String claims = "{\"exp\":9999999999,\"jti\":\"r\"}";
        String rs256 = TestTokens.signed("RS256", "SHA256withRSA", null, claims, pair.getPrivate());
        String ps256 = TestTokens.signed("PS256", "RSASSA-PSS", JwtAlgorithm.PS256.parameters(), claims, pair.getPrivate());
        for (String key : new String[] {hex(spki), hex(pkcs1), pem}) {
            assertThat(verifier(JwtAlgorithm.RS256, key).verifiedPayload(rs256)).asString().isEqualTo(claims);
            assertThat(verifier(JwtAlgorithm.PS256, key).verifiedPayload(ps256)).asString().isEqualTo(claims);
        }
        assertRefused(verifier(JwtAlgorithm.RS256, hex(spki)), flipLastSignatureBit(rs256),
                ErrorReason.INVALID_TOKEN_SIGNATURE);
        // An RS256 token where PS256 is configured.
        assertRefused(verifier(JwtAlgorithm.PS256, hex(spki)), rs256, ErrorReason.INVALID_TOKEN);
    }

    @Test
    void shouldCheckEs384AndEd448Too() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair p384 = ec.generateKeyPair();
        String claims = "{\"exp\":9999999999,\"jti\":\"e\"}";
        String es384 = TestTokens.signed("ES384", "SHA384withECDSAinP1363Format", null, claims, p384.getPrivate());
        assertThat(verifier(JwtAlgorithm.ES384, hex(p384.getPublic().getEncoded())).verifiedPayload(es384))
                .asString().isEqualTo(claims);
        // A P-384 key is not an ES256 key.
        assertThatThrownBy(() -> JwtKey.decode(hex(p384.getPublic().getEncoded()), JwtAlgorithm.ES256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256-bit curve");

        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        String eddsa = TestTokens.signed("EdDSA", "Ed448", null, claims, ed448.getPrivate());
        assertThat(verifier(JwtAlgorithm.EdDSA, hex(ed448.getPublic().getEncoded())).verifiedPayload(eddsa))
                .asString().isEqualTo(claims);
    }

    @Test
    void shouldDecodeSecretsAsWalrusDoes() {
        assertThat(JwtKey.secretBytes("0x6b6579")).isEqualTo("key".getBytes());
        assertThat(JwtKey.secretBytes("key")).isEqualTo("key".getBytes());
        assertThat(JwtKey.secretBytes("0X6b6579")).isEqualTo("0X6b6579".getBytes()); // only a lower-case prefix is hex
        assertThat(JwtKey.secretBytes("sécret")).isEqualTo("sécret".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> JwtKey.secretBytes("0x6b657")).hasMessageContaining("odd number");
        assertThatThrownBy(() -> JwtKey.secretBytes("0xzz")).hasMessageContaining("not hex");
        assertThatThrownBy(() -> JwtKey.decode("", JwtAlgorithm.HS256)).hasMessageContaining("empty");
        assertThatThrownBy(() -> JwtKey.decode("0x", JwtAlgorithm.HS256)).hasMessageContaining("empty");
        assertThatThrownBy(() -> JwtKey.decode("not a key", JwtAlgorithm.EdDSA))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EDDSA public key");
        assertThatThrownBy(() -> JwtAlgorithm.parse("none")).hasMessageContaining("HS256, HS384");
    }

    @Test
    void shouldRefuseRsaKeysShorterThan2048Bits() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        byte[] spki = generator.generateKeyPair().getPublic().getEncoded();
        assertThatThrownBy(() -> JwtKey.decode(hex(spki), JwtAlgorithm.RS256)).hasMessageContaining("2048");
    }

    private static void assertRefused(JwtVerifier verifier, String token, ErrorReason reason) {
        assertThatThrownBy(() -> verifier.verifiedPayload(token)).isInstanceOf(JwtRefusal.class)
                .satisfies(e -> assertThat(((JwtRefusal) e).reason()).as(e.getMessage()).isEqualTo(reason));
    }
}
