package io.tusk.control.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.crypto.Ed25519PublicKey;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SignatureCheck}'s answer is Bouncy Castle's, signature by signature, and AWS-LC's fast path never accepts what
 * Bouncy Castle refuses, on the cases where Ed25519 implementations are known to differ ("Taming the many EdDSAs",
 * Chalkias et al., 2020): S not reduced, R not canonical, R of small order, and R with a small-order part, which a
 * cofactored check (Bouncy Castle's) accepts and a cofactorless one (AWS-LC's) refuses. Signatures with a crafted R
 * are made here from the secret scalar, with the curve's arithmetic in {@link BigInteger}s (slow and plain,
 * independent of both implementations).
 */
class SignatureCheckTest {
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger D = BigInteger.valueOf(-121665).mod(P)
            .multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final BigInteger SQRT_MINUS_ONE = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
    private static final BigInteger[] BASE = decode(HexFormat.of().parseHex(
            "5866666666666666666666666666666666666666666666666666666666666666"));
    /** The eight points of small order (canonical encodings), then non-canonical encodings of some (y + p, or -0). */
    private static final List<byte[]> SMALL_ORDER = List.of(
            hex("0100000000000000000000000000000000000000000000000000000000000000"),
            hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            hex("0000000000000000000000000000000000000000000000000000000000000080"),
            hex("0000000000000000000000000000000000000000000000000000000000000000"),
            hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
            hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"),
            hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
            hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"),
            hex("0100000000000000000000000000000000000000000000000000000000000080"),
            hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"));

    private static long seed;

    @BeforeAll
    static void seed() {
        seed = System.nanoTime();
        System.out.println("SignatureCheckTest seed " + seed);
    }

    @Test
    void shouldLoadAwsLcOnLinuxX8664() {
        boolean linuxX64 = System.getProperty("os.name").toLowerCase().contains("linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        Ed25519PublicKey key = Ed25519KeyPair.fromSecret(new byte[32]).publicKey();
        // where the library should load, its absence is a regression (the build's platform), not a reason to skip
        assertThat(SignatureCheck.awsLc(key) != null).isEqualTo(linuxX64);
        assertThat(SignatureCheck.implementation()).isEqualTo(
                linuxX64 && !"bouncycastle".equals(System.getProperty("tusk.ed25519")) ? "aws-lc" : "bouncycastle");
    }

    @Test
    void shouldAcceptValidSignaturesOnBothAndRefuseAnyChangedByte() throws Exception {
        Random random = new Random(seed);
        for (int k = 0; k < 20; k++) {
            Signer signer = Signer.random(random);
            byte[] message = new byte[random.nextInt(300)];
            random.nextBytes(message);
            byte[] signature = signer.pair.sign(message);
            assertAgree(signer, message, signature, true);
            SignatureCheck.Key awsLc = SignatureCheck.awsLc(signer.pair.publicKey());
            if (awsLc != null) {
                assertThat(awsLc.verify(message, signature)).as("the fast path takes an honest signature").isTrue();
            }
            for (int flip = 0; flip < 8; flip++) {
                byte[] changed = signature.clone();
                changed[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
                assertAgree(signer, message, changed, false);
            }
            if (message.length > 0) {
                byte[] changed = message.clone();
                changed[random.nextInt(changed.length)] ^= 1;
                assertAgree(signer, changed, signature, false);
            }
        }
    }

    @Test
    void shouldRefuseAnSNotReducedModuloTheGroupOrder() throws Exception {
        Random random = new Random(seed + 1);
        for (int k = 0; k < 10; k++) {
            Signer signer = Signer.random(random);
            byte[] message = "the same message".getBytes();
            byte[] signature = signer.pair.sign(message);
            BigInteger s = littleEndian(signature, 32);
            byte[] unreduced = signature.clone();
            System.arraycopy(toLittleEndian(s.add(L)), 0, unreduced, 32, 32); // the same S modulo L: valid if unreduced
            assertAgree(signer, message, unreduced, false);
            // the construction is right: S itself through the same path verifies
            byte[] same = signature.clone();
            System.arraycopy(toLittleEndian(s), 0, same, 32, 32);
            assertAgree(signer, message, same, true);
        }
    }

    @Test
    void shouldRefuseAnROfSmallOrderOrNotCanonicalButTheIdentityWithItsS() throws Exception {
        Random random = new Random(seed + 2);
        Signer signer = Signer.random(random);
        byte[] message = "small order".getBytes();
        for (byte[] r : SMALL_ORDER) {
            for (BigInteger s : List.of(BigInteger.ZERO, BigInteger.ONE, new BigInteger(250, random))) {
                assertAgree(signer, message, signature(r, s), false);
            }
        }
        // R the identity, S = k a: [S]B - [k]A is the identity, so even a cofactorless check accepts it (and must
        // here, for the fast path to answer as the rule); only the key's owner can make it
        byte[] identity = SMALL_ORDER.get(0);
        BigInteger s = challenge(identity, signer.pair.publicKey().bytes(), message).multiply(signer.scalar).mod(L);
        byte[] signature = signature(identity, s);
        assertAgree(signer, message, signature, true);
        SignatureCheck.Key awsLc = SignatureCheck.awsLc(signer.pair.publicKey());
        if (awsLc != null) {
            assertThat(awsLc.verify(message, signature)).as("AWS-LC alone, R the identity").isTrue();
        }
    }

    @Test
    void shouldAcceptAnRWithASmallOrderPartAsBouncyCastleDoesThoughAwsLcRefusesIt() throws Exception {
        Random random = new Random(seed + 3);
        List<BigInteger[]> torsion = new ArrayList<>();
        for (byte[] encoding : SMALL_ORDER.subList(0, 8)) {
            BigInteger[] point = decode(encoding);
            if (point != null) {
                torsion.add(point);
            }
        }
        assertThat(torsion).hasSize(8); // the list's first eight: the whole torsion group, identity first
        for (int k = 0; k < torsion.size(); k++) {
            Signer signer = Signer.random(random);
            byte[] message = new byte[40];
            random.nextBytes(message);
            BigInteger[] t = torsion.get(k);
            boolean identity = t[0].signum() == 0 && t[1].equals(BigInteger.ONE);
            // R = [r]B + T, S = r + k a: [S]B - [k]A = [r]B, which is R only if T is the identity; [8] of the
            // difference is the identity either way, so a cofactored check accepts every one of these
            BigInteger r = new BigInteger(256, random).mod(L);
            byte[] rBytes = encode(add(multiply(BASE, r), t));
            BigInteger h = challenge(rBytes, signer.pair.publicKey().bytes(), message);
            BigInteger s = r.add(h.multiply(signer.scalar)).mod(L);
            byte[] signature = signature(rBytes, s);
            // Bouncy Castle's check is cofactored: the rule accepts every one
            assertAgree(signer, message, signature, true);
            SignatureCheck.Key awsLc = SignatureCheck.awsLc(signer.pair.publicKey());
            if (awsLc != null) {
                assertThat(awsLc.verify(message, signature)).as("AWS-LC alone, torsion point %d", k).isEqualTo(identity);
            }
        }
    }

    @Test
    void shouldNeverSeeAKeyWithASmallOrderPartBecauseValidationRefusesIt() throws Exception {
        Random random = new Random(seed + 4);
        Signer signer = Signer.random(random);
        BigInteger[] a = decode(signer.pair.publicKey().bytes());
        byte[] mixed = encode(add(a, decode(SMALL_ORDER.get(4))));
        assertThatThrownBy(() -> Ed25519PublicKey.fromBytes(mixed)).isInstanceOf(IllegalArgumentException.class);
        for (byte[] small : SMALL_ORDER) {
            assertThatThrownBy(() -> Ed25519PublicKey.fromBytes(small)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Bouncy Castle answers {@code expected}, so does the rule, and AWS-LC accepts only if Bouncy Castle does. */
    private static void assertAgree(Signer signer, byte[] message, byte[] signature, boolean expected) {
        Ed25519PublicKey key = signer.pair.publicKey();
        SignatureCheck.Key awsLc = SignatureCheck.awsLc(key);
        String what = "seed " + seed + ", signature " + HexFormat.of().formatHex(signature);
        assertThat(SignatureCheck.bouncyCastle(key).verify(message, signature)).as("Bouncy Castle, " + what)
                .isEqualTo(expected);
        if (awsLc != null && !expected) {
            assertThat(awsLc.verify(message, signature)).as("AWS-LC, " + what).isFalse();
        }
        assertThat(SignatureCheck.of(key).verify(message, signature)).as("the rule, " + what).isEqualTo(expected);
    }

    /** A key pair and its secret scalar {@code a} (RFC 8032 5.1.5). */
    private record Signer(Ed25519KeyPair pair, BigInteger scalar) {
        static Signer random(Random random) throws Exception {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            byte[] h = MessageDigest.getInstance("SHA-512").digest(secret);
            h[0] &= (byte) 248;
            h[31] &= 127;
            h[31] |= 64;
            return new Signer(Ed25519KeyPair.fromSecret(secret), littleEndian(h, 0));
        }
    }

    /** The 64 bytes of (R, S). */
    private static byte[] signature(byte[] r, BigInteger s) {
        byte[] signature = new byte[64];
        System.arraycopy(r, 0, signature, 0, 32);
        System.arraycopy(toLittleEndian(s), 0, signature, 32, 32);
        return signature;
    }

    private static BigInteger challenge(byte[] r, byte[] a, byte[] message) throws Exception {
        MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
        sha512.update(r);
        sha512.update(a);
        sha512.update(message);
        byte[] digest = sha512.digest();
        BigInteger value = BigInteger.ZERO;
        for (int i = 63; i >= 0; i--) {
            value = value.shiftLeft(8).or(BigInteger.valueOf(digest[i] & 0xff));
        }
        return value.mod(L);
    }

    // ---------------------------------------------------------------- edwards25519 in affine coordinates

    private static BigInteger[] add(BigInteger[] p, BigInteger[] q) {
        BigInteger xx = p[0].multiply(q[0]).mod(P);
        BigInteger yy = p[1].multiply(q[1]).mod(P);
        BigInteger dxxyy = D.multiply(xx).mod(P).multiply(yy).mod(P);
        BigInteger x = p[0].multiply(q[1]).add(q[0].multiply(p[1]))
                .multiply(BigInteger.ONE.add(dxxyy).modInverse(P)).mod(P);
        BigInteger y = yy.add(xx).multiply(BigInteger.ONE.subtract(dxxyy).mod(P).modInverse(P)).mod(P);
        return new BigInteger[] {x, y};
    }

    private static BigInteger[] multiply(BigInteger[] point, BigInteger scalar) {
        BigInteger[] result = {BigInteger.ZERO, BigInteger.ONE};
        for (int i = scalar.bitLength() - 1; i >= 0; i--) {
            result = add(result, result);
            if (scalar.testBit(i)) {
                result = add(result, point);
            }
        }
        return result;
    }

    /** The point of a canonical encoding, or null if it is none. */
    private static BigInteger[] decode(byte[] encoding) {
        byte[] yBytes = encoding.clone();
        boolean sign = (yBytes[31] & 0x80) != 0;
        yBytes[31] &= 0x7f;
        BigInteger y = littleEndian(yBytes, 0);
        if (y.compareTo(P) >= 0) {
            return null;
        }
        BigInteger yy = y.multiply(y).mod(P);
        BigInteger u = yy.subtract(BigInteger.ONE).mod(P);
        BigInteger v = D.multiply(yy).add(BigInteger.ONE).mod(P);
        BigInteger xx = u.multiply(v.modInverse(P)).mod(P);
        BigInteger x = xx.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (!x.multiply(x).mod(P).equals(xx)) {
            x = x.multiply(SQRT_MINUS_ONE).mod(P);
        }
        if (!x.multiply(x).mod(P).equals(xx) || (x.signum() == 0 && sign)) {
            return null;
        }
        if (x.testBit(0) != sign) {
            x = P.subtract(x);
        }
        return new BigInteger[] {x, y};
    }

    private static byte[] encode(BigInteger[] point) {
        byte[] out = toLittleEndian(point[1]);
        if (point[0].testBit(0)) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    private static BigInteger littleEndian(byte[] bytes, int offset) {
        BigInteger value = BigInteger.ZERO;
        for (int i = offset + 31; i >= offset; i--) {
            value = value.shiftLeft(8).or(BigInteger.valueOf(bytes[i] & 0xff));
        }
        return value;
    }

    private static byte[] toLittleEndian(BigInteger value) {
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = value.shiftRight(8 * i).byteValue();
        }
        return out;
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }
}
