package io.tusk.spaces.crypto;

import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.Ed25519KeyPair;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The owner's key of encrypted spaces: it wraps each space key, so whoever holds it reads all of the owner's
 * encrypted spaces. By default derived from the account key (HKDF-SHA256 of its secret, salt
 * {@code "tusk/space-owner-key/v1"}, info the address), so an account needs no other secret; it can also be given
 * (e.g. to let another process read without the account key).
 */
public final class OwnerKey {
    private static final byte[] SALT = "tusk/space-owner-key/v1".getBytes(StandardCharsets.US_ASCII);
    private final byte[] key;

    private OwnerKey(byte[] key) {
        if (key.length != Aead.KEY_BYTES) {
            throw new IllegalArgumentException("an owner key is " + Aead.KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    public static OwnerKey of(byte[] key) {
        return new OwnerKey(key);
    }

    public static OwnerKey derive(Ed25519KeyPair account) {
        return new OwnerKey(Hkdf.derive(account.secret(), SALT, account.publicKey().address().bytes(), Aead.KEY_BYTES));
    }

    public byte[] bytes() {
        return key.clone();
    }

    /** A space key wrapped for the manifest: nonce ‖ AES-GCM(owner key, space key), bound to the space and version. */
    public byte[] wrap(Address owner, String space, int version, byte[] spaceKey) {
        byte[] nonce = Aead.randomNonce();
        byte[] sealed = Aead.seal(key, nonce, wrapAad(owner, space, version), spaceKey, 0, spaceKey.length);
        byte[] out = Arrays.copyOf(nonce, nonce.length + sealed.length);
        System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
        return out;
    }

    /** @throws io.tusk.spaces.SpaceKeyException if this is not the key that wrapped it */
    public byte[] unwrap(Address owner, String space, int version, byte[] wrapped) {
        if (wrapped.length != Aead.NONCE_BYTES + Aead.KEY_BYTES + Aead.TAG_BYTES) {
            throw new io.tusk.spaces.SpaceKeyException("a wrapped space key is " + (Aead.NONCE_BYTES + Aead.KEY_BYTES
                    + Aead.TAG_BYTES) + " bytes, got " + wrapped.length);
        }
        byte[] nonce = Arrays.copyOf(wrapped, Aead.NONCE_BYTES);
        try {
            return Aead.open(key, nonce, wrapAad(owner, space, version), wrapped, Aead.NONCE_BYTES,
                    wrapped.length - Aead.NONCE_BYTES);
        } catch (io.tusk.spaces.SpaceKeyException e) {
            throw new io.tusk.spaces.SpaceKeyException("space " + owner + "/" + space + ": key version " + version
                    + " was wrapped by another owner key");
        }
    }

    private static byte[] wrapAad(Address owner, String space, int version) {
        return new BcsWriter().fixedBytes("tusk/space-key".getBytes(StandardCharsets.US_ASCII)).fixedBytes(owner.bytes())
                .string(space).u32(version).toByteArray();
    }

    /** The secret salt of an encrypted space's tree shape (node boundaries then tell nothing about keys). */
    public byte[] shapeSalt(Address owner, String space) {
        return Hkdf.derive(key, "tusk/space-shape".getBytes(StandardCharsets.US_ASCII),
                new BcsWriter().fixedBytes(owner.bytes()).string(space).toByteArray(), 32);
    }
}
