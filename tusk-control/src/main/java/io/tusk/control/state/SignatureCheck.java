package io.tusk.control.state;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import io.tusk.core.crypto.Ed25519PublicKey;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.function.BiPredicate;

/**
 * The Ed25519 check of a command's signature. The rule is Bouncy Castle's ({@link Ed25519PublicKey#verify}), the one
 * every replica has applied since genesis, so a log replays to the same answers on any replica. It accepts an
 * {@code R} with a small-order part where {@code [S]B - [k]A} differs from {@code R} by a small-order point (a
 * cofactored check), and costs about 85 us a signature on the project's machine, a third of a replica's CPU per command.
 *
 * <p>Where AWS-LC's native library loads (through the Amazon Corretto Crypto Provider; Linux on x86-64), it answers
 * first, in about 40 us. It is RFC 8032's cofactorless check ({@code [S]B - [k]A} encoded and compared byte for byte
 * with {@code R}, {@code S} at or above the group order refused), so what it accepts Bouncy Castle accepts too for a
 * key {@link Ed25519PublicKey#fromBytes} took (canonical, of prime order): an acceptance stands, and only a refusal
 * is asked of Bouncy Castle again. Honest commands take the fast path; a signature that does not verify costs both.
 * {@code SignatureCheckTest} holds the two to that on the cases where Ed25519 implementations are known to differ.
 * The system property {@code tusk.ed25519=bouncycastle} turns the fast path off.
 */
final class SignatureCheck {
    /**
     * A sender's key as {@link Ed25519PublicKey#fromBytes} validated it, with the check of signatures by it.
     *
     * @param check whether a 64-byte signature is the key's over a message; never throws
     */
    record Key(Ed25519PublicKey key, BiPredicate<byte[], byte[]> check) {
        /** Whether {@code signature} (64 bytes) is the key's over {@code message}; never throws. */
        boolean verify(byte[] message, byte[] signature) {
            return check.test(message, signature);
        }
    }

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the key's 32 bytes. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** AWS-LC's provider if it loaded and passes RFC 8032's first test vector, else null. */
    private static final Provider NATIVE = loadNative();

    private SignatureCheck() {
    }

    /** The key checked by the rule, on AWS-LC's fast path where it loaded. */
    static Key of(Ed25519PublicKey validated) {
        if (NATIVE == null) {
            return bouncyCastle(validated);
        }
        Key fast = nativeKeyOrNull(validated, NATIVE);
        if (fast == null) {
            return bouncyCastle(validated); // a key the JDK would not decode and Bouncy Castle took: never seen
        }
        return new Key(validated, (message, signature) -> fast.verify(message, signature)
                || validated.verify(message, signature));
    }

    /** Whether {@link #of} has AWS-LC's fast path: {@code aws-lc}, or {@code bouncycastle} alone. */
    static String implementation() {
        return NATIVE == null ? "bouncycastle" : "aws-lc";
    }

    /** Bouncy Castle's check of {@code validated}. */
    static Key bouncyCastle(Ed25519PublicKey validated) {
        return new Key(validated, validated::verify);
    }

    /** AWS-LC's check alone of {@code validated}, or null if its library is not loaded here (for tests). */
    static Key awsLc(Ed25519PublicKey validated) {
        Provider provider = NATIVE != null ? NATIVE : loadedProvider();
        return provider == null ? null : nativeKeyOrNull(validated, provider);
    }

    private static Key nativeKeyOrNull(Ed25519PublicKey validated, Provider provider) {
        PublicKey publicKey;
        try {
            byte[] encoded = new byte[X509_PREFIX.length + Ed25519PublicKey.LENGTH];
            System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
            System.arraycopy(validated.bytes(), 0, encoded, X509_PREFIX.length, Ed25519PublicKey.LENGTH);
            // the provider has no key factory of its own for Ed25519: it takes the JDK's keys
            publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
        return new Key(validated, (message, signature) -> {
            if (message == null || signature == null || signature.length != Ed25519PublicKey.SIGNATURE_LENGTH) {
                return false;
            }
            try {
                Signature check = Signature.getInstance("Ed25519", provider);
                check.initVerify(publicKey);
                check.update(message);
                return check.verify(signature);
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        });
    }

    private static Provider loadNative() {
        if ("bouncycastle".equals(System.getProperty("tusk.ed25519"))) {
            return null;
        }
        return loadedProvider();
    }

    /** The provider, if its native library loaded and it checks RFC 8032's test 1 right (both ways). */
    private static Provider loadedProvider() {
        try {
            Provider provider = AwsLc.provider();
            if (provider == null || provider.getService("Signature", "Ed25519") == null) {
                return null;
            }
            HexFormat hex = HexFormat.of();
            Ed25519PublicKey key = Ed25519PublicKey.fromBytes(
                    hex.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
            byte[] signature = hex.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                    + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
            Key check = nativeKeyOrNull(key, provider);
            if (check == null) {
                return null;
            }
            byte[] forged = signature.clone();
            forged[63] ^= 1;
            return check.verify(new byte[0], signature) && !check.verify(new byte[0], forged) ? provider : null;
        } catch (LinkageError | RuntimeException e) { // a platform without the library, or a class path without it
            return null;
        }
    }

    /** The only class that names the provider's, so that without its jar only this class fails to link. */
    private static final class AwsLc {
        static Provider provider() {
            AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
            return provider.getLoadingError() == null ? provider : null;
        }
    }
}
