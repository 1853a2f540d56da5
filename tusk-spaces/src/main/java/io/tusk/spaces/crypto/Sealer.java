package io.tusk.spaces.crypto;

import io.tusk.spaces.SpaceKeyException;
import io.tusk.spaces.VerificationException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seals what a space stores about itself (tree nodes, commit details, key blobs' contents). Stored forms:
 * {@code 0x00 ‖ plain} in a plaintext space; {@code 0x01 ‖ key_version u32 LE ‖ nonce[12] ‖ AES-GCM(space key,
 * plain)} in an encrypted one, with the domain ("node", "details", "keys/&lt;commit&gt;") as associated data so a sealed
 * item cannot be passed off as another kind.
 */
public final class Sealer {
    public static final int PLAIN = 0;
    public static final int SEALED = 1;
    /** Bytes a sealed form adds to the plain bytes. */
    public static final int SEALED_OVERHEAD = 1 + 4 + Aead.NONCE_BYTES + Aead.TAG_BYTES;

    /** Space keys by version; empty for a plaintext space, or for a reader without the key. */
    private final Map<Integer, byte[]> keys;
    private final int currentVersion;
    private final boolean encrypted;

    private Sealer(boolean encrypted, Map<Integer, byte[]> keys, int currentVersion) {
        this.encrypted = encrypted;
        this.keys = new TreeMap<>(keys);
        this.currentVersion = currentVersion;
    }

    public static Sealer plain() {
        return new Sealer(false, Map.of(), 0);
    }

    /** An encrypted space's sealer; {@code keys} may be empty for a reader without the owner key (it opens nothing). */
    public static Sealer encrypted(Map<Integer, byte[]> keys, int currentVersion) {
        return new Sealer(true, keys, currentVersion);
    }

    public boolean isEncrypted() {
        return encrypted;
    }

    public boolean hasKeys() {
        return !keys.isEmpty();
    }

    public int currentVersion() {
        return currentVersion;
    }

    /** The space key of {@code version}. @throws SpaceKeyException if not held */
    public byte[] key(int version) {
        byte[] key = keys.get(version);
        if (key == null) {
            throw new SpaceKeyException("no space key of version " + version + (keys.isEmpty()
                    ? ": the space is encrypted and this client has not its owner key" : ""));
        }
        return key;
    }

    /** Stored size of {@code plainLength} bytes. */
    public int sealedLength(int plainLength) {
        return encrypted ? plainLength + SEALED_OVERHEAD : plainLength + 1;
    }

    public byte[] seal(String domain, byte[] plain) {
        if (!encrypted) {
            byte[] out = new byte[plain.length + 1];
            System.arraycopy(plain, 0, out, 1, plain.length);
            return out;
        }
        byte[] nonce = Aead.randomNonce();
        byte[] sealed = Aead.seal(key(currentVersion), nonce, aad(domain), plain, 0, plain.length);
        byte[] out = new byte[5 + nonce.length + sealed.length];
        out[0] = SEALED;
        writeU32(out, 1, currentVersion);
        System.arraycopy(nonce, 0, out, 5, nonce.length);
        System.arraycopy(sealed, 0, out, 5 + nonce.length, sealed.length);
        return out;
    }

    /**
     * The plain bytes of a stored form.
     *
     * @throws SpaceKeyException    if sealed and the key is not held (or is wrong)
     * @throws VerificationException if the form is neither
     */
    public byte[] open(String domain, byte[] stored) {
        if (stored.length == 0) {
            throw new VerificationException("an empty stored item has no form byte");
        }
        int form = stored[0] & 0xff;
        if (form == PLAIN) {
            if (encrypted) {
                throw new VerificationException("a plaintext " + domain + " in an encrypted space");
            }
            return Arrays.copyOfRange(stored, 1, stored.length);
        }
        if (form != SEALED || stored.length < SEALED_OVERHEAD) {
            throw new VerificationException("a stored " + domain + " has unknown form " + form + " or is too short");
        }
        int version = (int) readU32(stored, 1);
        byte[] nonce = Arrays.copyOfRange(stored, 5, 5 + Aead.NONCE_BYTES);
        return Aead.open(key(version), nonce, aad(domain), stored, 5 + Aead.NONCE_BYTES, stored.length - 5 - Aead.NONCE_BYTES);
    }

    private static byte[] aad(String domain) {
        return ("tusk/space/" + domain).getBytes(StandardCharsets.UTF_8);
    }

    static void writeU32(byte[] out, int at, long value) {
        for (int i = 0; i < 4; i++) {
            out[at + i] = (byte) (value >>> (8 * i));
        }
    }

    static long readU32(byte[] in, int at) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (in[at + i] & 0xffL) << (8 * i);
        }
        return v;
    }
}
