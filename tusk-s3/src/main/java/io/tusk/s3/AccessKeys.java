package io.tusk.s3;

import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.hash.Blake2b256;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * S3 credentials derived from a Tusk account key, so that whoever holds the account key (its owner, and an S3 server
 * it trusts with it) gets the same pair without storing another secret: the access key ID is public (a hash of the
 * account's public key, 20 characters like AWS's), the secret is an HMAC of the account's secret key.
 */
public final class AccessKeys {
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private AccessKeys() {
    }

    public static Credentials derive(Ed25519KeyPair account) {
        byte[] id = new Blake2b256().update("tusk/s3-access-key-id".getBytes(StandardCharsets.US_ASCII))
                .update(account.publicKey().bytes()).digest();
        byte[] secret = SigV4.hmac(account.secret(), "tusk/s3-secret-access-key");
        return new Credentials("TUSK" + base32(id, 16),
                Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(secret, 30)));
    }

    private static String base32(byte[] bytes, int chars) {
        StringBuilder out = new StringBuilder(chars);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; out.length() < chars; i++) {
            buffer = buffer << 8 | (bytes[i] & 0xff);
            bits += 8;
            while (bits >= 5 && out.length() < chars) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return out.toString();
    }
}
