package io.tusk.spaces.crypto;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.crypto.Address;
import io.tusk.spaces.SpaceKeyException;
import io.tusk.spaces.VerificationException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data keys of the entries one commit of an encrypted space wrote, stored as their own deletable blob so that
 * forgetting an entry can destroy its key: the commit's key blob is written again with that key zeroed and the old
 * blob is deleted; entries of every version find their keys through the head's key index. In BCS:
 * <pre>
 * struct KeyBlob { magic: [u8; 8],        // 89 'T' 'U' 'S' 'K' 'K' 'B' 0A
 *                  format: u8,            // 1
 *                  owner: [u8; 32], name: String, commit_version: u64,
 *                  sealed: vector&lt;u8&gt; }  // Sealer("keys/&lt;commit&gt;") of vector&lt;[u8; 32]&gt;; zeros = destroyed
 * </pre>
 */
public record KeyBlob(Address owner, String name, long commitVersion, List<byte[]> keys) {
    private static final byte[] MAGIC = {(byte) 0x89, 'T', 'U', 'S', 'K', 'K', 'B', 0x0A};
    public static final int MAX_KEYS = 1 << 20;

    public KeyBlob {
        keys = List.copyOf(keys);
    }

    public byte[] toBytes(Sealer sealer) {
        BcsWriter plain = new BcsWriter(8 + keys.size() * Aead.KEY_BYTES).uleb128(keys.size());
        keys.forEach(plain::fixedBytes);
        byte[] sealed = sealer.seal(domain(commitVersion), plain.toByteArray());
        return new BcsWriter(64 + sealed.length).fixedBytes(MAGIC).u8(1).fixedBytes(owner.bytes()).string(name)
                .u64(commitVersion).bytes(sealed).toByteArray();
    }

    /**
     * Parses and opens a key blob.
     *
     * @throws VerificationException if malformed, or not the key blob of that space and commit
     * @throws SpaceKeyException     if the space key is not held
     */
    public static KeyBlob parse(byte[] blob, Sealer sealer, Address owner, String name, long commitVersion) {
        KeyBlob parsed;
        byte[] sealed;
        try {
            if (blob.length < MAGIC.length || !Arrays.equals(blob, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new VerificationException("not a key blob (bad magic)");
            }
            BcsReader in = new BcsReader(blob, MAGIC.length, blob.length - MAGIC.length);
            if (in.u8() != 1) {
                throw new VerificationException("key blob format is not 1");
            }
            Address foundOwner = new Address(in.fixedBytes(Address.LENGTH));
            String foundName = in.string(64);
            long commit = in.u64();
            sealed = in.bytes(Integer.MAX_VALUE - 16);
            in.expectEnd();
            if (!foundOwner.equals(owner) || !foundName.equals(name) || commit != commitVersion) {
                throw new VerificationException("key blob of " + foundOwner + "/" + foundName + " commit " + commit
                        + " where " + owner + "/" + name + " commit " + commitVersion + " was expected");
            }
            parsed = new KeyBlob(owner, name, commit, List.of());
        } catch (IllegalArgumentException e) {
            throw new VerificationException("malformed key blob: " + e.getMessage(), e);
        }
        byte[] plain = sealer.open(domain(commitVersion), sealed);
        try {
            BcsReader in = new BcsReader(plain);
            int count = in.length(MAX_KEYS, "data keys");
            List<byte[]> keys = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                keys.add(in.fixedBytes(Aead.KEY_BYTES));
            }
            in.expectEnd();
            return new KeyBlob(parsed.owner(), parsed.name(), parsed.commitVersion(), keys);
        } catch (IllegalArgumentException e) {
            throw new VerificationException("malformed key blob contents: " + e.getMessage(), e);
        }
    }

    /** The data key at {@code index}. @throws SpaceKeyException if it was destroyed (forgotten) or is out of range */
    public byte[] key(int index) {
        if (index >= keys.size()) {
            throw new VerificationException("key blob of commit " + commitVersion + " has " + keys.size()
                    + " keys, not " + (index + 1));
        }
        byte[] key = keys.get(index);
        if (EntryCipher.destroyed(key)) {
            throw new SpaceKeyException("the entry was forgotten: its data key (commit " + commitVersion + ", index "
                    + index + ") is destroyed");
        }
        return key;
    }

    /** This key blob with the keys at {@code indices} destroyed. */
    public KeyBlob destroying(java.util.Collection<Integer> indices) {
        List<byte[]> out = new ArrayList<>(keys);
        for (int i : indices) {
            out.set(i, EntryCipher.zeros());
        }
        return new KeyBlob(owner, name, commitVersion, out);
    }

    private static String domain(long commitVersion) {
        return "keys/" + commitVersion;
    }
}
