package io.tusk.core.messages;

import io.tusk.core.bcs.BcsException;
import io.tusk.core.bcs.BcsReader;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsPublicKey;

/**
 * Tusk's proof of possession (intent type 5), signed by a node's BLS key when the node registers:
 * {@code 05 00 03 | epoch u32 | account address [u8;32] | BLS public key [u8;48]}, 87 bytes.
 *
 * <p>It binds the key to the registering account, so nobody can register someone else's key, and proves the
 * registrant holds the secret, which makes aggregating committee keys safe from rogue-key attacks.
 */
public record ProofOfPossessionMessage(long epoch, Address account, BlsPublicKey key) implements ProtocolMessage {
    public static final int LENGTH = Intent.LENGTH + Integer.BYTES + Address.LENGTH + BlsPublicKey.LENGTH;

    public ProofOfPossessionMessage {
        ProtocolMessage.checkEpoch(epoch);
        if (account == null || key == null) {
            throw new IllegalArgumentException("a proof of possession needs an account and a key");
        }
    }

    @Override
    public Intent intent() {
        return Intent.of(Intent.PROOF_OF_POSSESSION);
    }

    @Override
    public byte[] toBcs() {
        return ProtocolMessage.header(Intent.PROOF_OF_POSSESSION, epoch, Address.LENGTH + BlsPublicKey.LENGTH)
                .fixedBytes(account.bytes())
                .fixedBytes(key.bytes())
                .toByteArray();
    }

    /** Parses strictly: the intent must be (5, 0, 3), the key a valid G1 point, and nothing may follow. */
    public static ProofOfPossessionMessage fromBcs(byte[] bytes) {
        BcsReader in = new BcsReader(bytes);
        long epoch = ProtocolMessage.readHeader(in, Intent.PROOF_OF_POSSESSION);
        Address account = new Address(in.fixedBytes(Address.LENGTH));
        int keyOffset = in.position();
        BlsPublicKey key;
        try {
            key = BlsPublicKey.fromBytes(in.fixedBytes(BlsPublicKey.LENGTH));
        } catch (BcsException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new BcsException("proof of possession at offset " + keyOffset + ": " + e.getMessage(), keyOffset);
        }
        in.expectEnd();
        return new ProofOfPossessionMessage(epoch, account, key);
    }
}
