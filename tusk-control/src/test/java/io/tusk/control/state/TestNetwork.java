package io.tusk.control.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tusk.control.api.Certificate;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommandEnvelope;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.SignedCommand;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.BlsSignature;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.EncodingType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A genesis with real keys made from fixed seeds, and helpers to sign commands and build real BLS certificates. Used
 * by the state, server and client tests.
 */
public final class TestNetwork {
    public static final long GENESIS_TIME = 1_700_000_000_000L;

    public final Ed25519KeyPair admin = account(0);
    public final List<BlsKeyPair> nodeKeys = new ArrayList<>();
    public final List<Ed25519KeyPair> nodeOwners = new ArrayList<>();
    public final GenesisConfig genesis;
    /** The chain ID of {@link #genesis}: commands signed by {@link #sign(Ed25519KeyPair, long, Command)} carry it. */
    public final String chainId;

    private TestNetwork(long[] stakes, int shardCount, Map<String, Long> balances) {
        this(stakes, shardCount, balances, GENESIS_TIME);
    }

    private TestNetwork(long[] stakes, int shardCount, Map<String, Long> balances, long genesisTime) {
        List<GenesisConfig.GenesisNode> nodes = new ArrayList<>();
        for (int i = 0; i < stakes.length; i++) {
            BlsKeyPair key = blsKey(100 + i);
            Ed25519KeyPair owner = account(1000 + i);
            nodeKeys.add(key);
            nodeOwners.add(owner);
            byte[] pop = key.sign(new ProofOfPossessionMessage(ControlState.GENESIS_POP_EPOCH, owner.publicKey().address(),
                    key.publicKey()).toBcs()).bytes();
            nodes.add(new GenesisConfig.GenesisNode("node-" + i, "127.0.0.1:" + (9185 + i),
                    owner.publicKey().address().toString(), key.publicKey().bytes(), pop, stakes[i]));
        }
        genesis = GenesisConfig.devnet(address(admin), genesisTime, nodes).withShardCount(shardCount)
                .withInitialBalances(balances);
        chainId = ChainId.of(genesis);
    }

    /** Four equal nodes, 100 shards (25 each), an admin with a large balance. */
    public static TestNetwork standard() {
        return new TestNetwork(new long[] {10, 10, 10, 10}, 100, Map.of());
    }

    /**
     * Like {@link #standard()} (same keys, same accounts) but started at {@code genesisTime}: another network, as a
     * devnet made anew is.
     */
    public static TestNetwork standardAt(long genesisTime) {
        return new TestNetwork(new long[] {10, 10, 10, 10}, 100, Map.of(), genesisTime);
    }

    public static TestNetwork of(long[] stakes, int shardCount) {
        return new TestNetwork(stakes, shardCount, Map.of());
    }

    public static Ed25519KeyPair account(int seed) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 7);
        secret[0] = (byte) seed;
        secret[1] = (byte) (seed >>> 8);
        return Ed25519KeyPair.fromSecret(secret);
    }

    public static BlsKeyPair blsKey(int seed) {
        byte[] secret = new byte[32];
        secret[30] = (byte) (seed >>> 8);
        secret[31] = (byte) (seed + 1);
        secret[0] = 0x11;
        return BlsKeyPair.fromSecret(secret);
    }

    public static String address(Ed25519KeyPair key) {
        return key.publicKey().address().toString();
    }

    public static Address addressOf(Ed25519KeyPair key) {
        return key.publicKey().address();
    }

    /** {@code command} from {@code key} at {@code nonce}, signed for this network. */
    public SignedCommand sign(Ed25519KeyPair key, long nonce, Command command) {
        return sign(chainId, key, nonce, command);
    }

    /** {@code command} from {@code key} at {@code nonce}, signed for the network {@code chainId}. */
    public static SignedCommand sign(String chainId, Ed25519KeyPair key, long nonce, Command command) {
        return signPayload(key, envelopeBytes(chainId, address(key), nonce, command));
    }

    public static byte[] envelopeBytes(String chainId, String sender, long nonce, Command command) {
        try {
            return ControlJson.mapper().writeValueAsBytes(new CommandEnvelope(chainId, sender, nonce, command));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SignedCommand signPayload(Ed25519KeyPair key, byte[] payload) {
        return new SignedCommand(payload, key.publicKey().bytes(), key.sign(payload));
    }

    /** A blob registration with a made-up root hash; the blob ID is derived as the state machine checks. */
    public static Command.RegisterBlob registerBlob(int seed, long length, int epochsAhead, boolean deletable) {
        byte[] root = rootHash(seed);
        return new Command.RegisterBlob(blobId(seed, length).toString(), root, length, "RS2", epochsAhead, deletable);
    }

    public static byte[] rootHash(int seed) {
        byte[] root = new byte[32];
        Arrays.fill(root, (byte) seed);
        root[0] = 0x42;
        return root;
    }

    public static BlobId blobId(int seed, long length) {
        return BlobId.derive(EncodingType.RS2, length, rootHash(seed));
    }

    /** The BLS key pair of a committee member, found by its public key. */
    public BlsKeyPair keyOf(CommitteeMember member) {
        for (BlsKeyPair k : nodeKeys) {
            if (Arrays.equals(k.publicKey().bytes(), member.blsPublicKey())) {
                return k;
            }
        }
        throw new IllegalArgumentException("no key for " + member.nodeId());
    }

    /** A real certificate: each signer (a member index) signs the confirmation; signatures aggregated. */
    public Certificate certificate(CommitteeInfo committee, List<Integer> signers, StorageConfirmation confirmation) {
        return certificate(committee, signers, confirmation.toBcs());
    }

    /** A real certificate over any message bytes. */
    public Certificate certificate(CommitteeInfo committee, List<Integer> signers, byte[] message) {
        List<BlsSignature> signatures = new ArrayList<>();
        for (int i : signers) {
            signatures.add(keyOf(committee.members().get(i)).sign(message));
        }
        return new Certificate(signers, message, BlsSignature.aggregate(signatures).bytes());
    }

    /** A certificate signed by every member. */
    public Certificate fullCertificate(CommitteeInfo committee, StorageConfirmation confirmation) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < committee.members().size(); i++) {
            all.add(i);
        }
        return certificate(committee, all, confirmation);
    }
}
