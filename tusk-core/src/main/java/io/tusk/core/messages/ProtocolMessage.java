package io.tusk.core.messages;

import io.tusk.core.bcs.BcsException;
import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.crypto.BlsKeyPair;

/**
 * A Walrus {@code ProtocolMessage<T>}: {@code intent (3 bytes) | epoch u32 LE | contents T}, in BCS.
 * Implementations are the message kinds Tusk signs.
 */
public sealed interface ProtocolMessage permits StorageConfirmation, InvalidBlobIdMessage, ProofOfPossessionMessage,
        SyncShardMessage, ShardsSyncedMessage {
    /** Largest epoch: epochs are u32 on the wire. */
    long MAX_EPOCH = 0xFFFF_FFFFL;

    Intent intent();

    long epoch();

    /** The exact bytes that are signed. */
    byte[] toBcs();

    /** Signs {@link #toBcs()} with a node's BLS key. */
    default SignedMessage sign(BlsKeyPair key) {
        byte[] bytes = toBcs();
        return new SignedMessage(bytes, key.sign(bytes));
    }

    /**
     * Parses any message kind Tusk knows, choosing by the intent type.
     *
     * @throws BcsException if the intent is unknown or the bytes do not parse strictly
     */
    static ProtocolMessage fromBcs(byte[] bytes) {
        if (bytes.length < Intent.LENGTH) {
            throw new BcsException("protocol message of " + bytes.length + " bytes is shorter than its intent", 0);
        }
        return switch (bytes[0]) {
            case Intent.STORAGE_CONFIRMATION -> StorageConfirmation.fromBcs(bytes);
            case Intent.INVALID_BLOB_ID -> InvalidBlobIdMessage.fromBcs(bytes);
            case Intent.PROOF_OF_POSSESSION -> ProofOfPossessionMessage.fromBcs(bytes);
            case Intent.SYNC_SHARD -> SyncShardMessage.fromBcs(bytes);
            case Intent.SHARDS_SYNCED -> ShardsSyncedMessage.fromBcs(bytes);
            default -> throw new BcsException("unknown protocol message intent type " + (bytes[0] & 0xff), 0);
        };
    }

    static void checkEpoch(long epoch) {
        if (epoch < 0 || epoch > MAX_EPOCH) {
            throw new IllegalArgumentException("epoch must be a u32, got " + epoch);
        }
    }

    static BcsWriter header(int type, long epoch, int contentLength) {
        BcsWriter out = new BcsWriter(Intent.LENGTH + Integer.BYTES + contentLength);
        Intent.of(type).write(out);
        out.u32(epoch);
        return out;
    }

    /** Reads and checks the intent, then returns the epoch. */
    static long readHeader(BcsReader in, int type) {
        Intent.expect(in, type);
        return in.u32();
    }
}
