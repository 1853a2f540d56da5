package io.tusk.control.state;

import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BlobStatus;
import io.tusk.control.api.Certificate;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.Event;
import io.tusk.control.api.SignedCommand;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.tusk.control.state.TestNetwork.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlStateTest extends FundedStateTest {
    private static final long FUNDS = 1_000_000_000_000L;

    // --------------------------------------------------------------------------- genesis and committee

    @Test
    void shouldStartAtEpochOneWithContiguousShardsInNodeIdOrder() {
        CommitteeInfo committee = state.committee();
        assertThat(committee.epoch()).isEqualTo(1);
        assertThat(committee.shardCount()).isEqualTo(100);
        assertThat(committee.members()).hasSize(4);
        List<String> ids = committee.members().stream().map(CommitteeMember::nodeId).toList();
        assertThat(ids).isSorted();
        int next = 0;
        for (CommitteeMember m : committee.members()) {
            assertThat(m.shards()).hasSize(25);
            for (int s : m.shards()) {
                assertThat(s).isEqualTo(next++);
            }
        }
        assertThat(state.epochInfo().startTimeMillis()).isEqualTo(TestNetwork.GENESIS_TIME);
        assertThat(state.epochInfo().maxEpochsAhead()).isEqualTo(53);
    }

    @Test
    void shouldRefuseGenesisWithForgedProofOfPossession() {
        GenesisConfig g = net.genesis;
        GenesisConfig.GenesisNode n = g.nodes().get(0);
        byte[] otherPop = g.nodes().get(1).proofOfPossession();
        List<GenesisConfig.GenesisNode> nodes = new ArrayList<>(g.nodes());
        nodes.set(0, new GenesisConfig.GenesisNode(n.name(), n.networkAddress(), n.owner(), n.blsPublicKey(), otherPop,
                n.stake()));
        GenesisConfig bad = new GenesisConfig(g.shardCount(), g.genesisTimeMillis(), g.epochDurationMillis(),
                g.maxEpochsAhead(), g.storagePricePerUnitPerEpoch(), g.writePricePerUnit(), g.faucetEnabled(),
                g.faucetMaxAmount(), g.adminAddress(), g.initialBalances(), nodes);
        assertThatThrownBy(() -> states.genesis(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("genesis node 0").hasMessageContaining("proofOfPossession");
    }

    // --------------------------------------------------------------------------- envelope checks

    @Test
    void shouldRefuseBadSignature() {
        SignedCommand good = net.sign(alice, 1, new Command.Faucet(5));
        byte[] sig = good.signature();
        sig[3] ^= 1;
        assertRefused(driver.submit(new SignedCommand(good.payload(), good.publicKey(), sig)), "INVALID_SIGNATURE");
        byte[] payload = good.payload();
        payload[payload.length - 2] ^= 1;
        assertRefused(driver.submit(new SignedCommand(payload, good.publicKey(), good.signature())), "INVALID_SIGNATURE");
        assertRefused(driver.submit(new SignedCommand(good.payload(), new byte[5], good.signature())), "INVALID_SIGNATURE");
        assertThat(driver.nonce(alice)).isEqualTo(1);
    }

    @Test
    void shouldRefuseSenderThatIsNotTheKeysAddress() {
        byte[] payload = TestNetwork.envelopeBytes(net.chainId, address(bob), 1, new Command.Faucet(5));
        assertRefused(driver.submit(TestNetwork.signPayload(alice, payload)), "INVALID_SIGNATURE");
    }

    @Test
    void shouldRefuseMalformedEnvelope() {
        String chain = "{\"chainId\":\"" + net.chainId + "\",";
        String[] payloads = {
                "{not json",
                // an envelope of before chain IDs: everything right but the chain ID missing
                "{\"sender\":\"" + address(alice) + "\",\"nonce\":1,\"command\":{\"type\":\"faucet\",\"amount\":5}}",
                chain + "\"sender\":\"" + address(alice) + "\",\"nonce\":1,\"command\":{\"type\":\"faucet\",\"amount\":5},\"extra\":1}",
                chain + "\"sender\":\"" + address(alice) + "\",\"nonce\":1,\"command\":{\"type\":\"faucet\",\"amount\":5,\"x\":1}}",
                chain + "\"sender\":\"" + address(alice) + "\",\"nonce\":1,\"command\":{\"type\":\"teleport\"}}",
                chain + "\"sender\":\"" + address(alice) + "\",\"nonce\":\"1\",\"command\":{\"type\":\"faucet\",\"amount\":5}}",
                chain + "\"sender\":\"" + address(alice) + "\",\"nonce\":1,\"nonce\":2,\"command\":{\"type\":\"faucet\",\"amount\":5}}",
                chain + "\"sender\":\"" + address(alice) + "\",\"command\":{\"type\":\"faucet\",\"amount\":5}}",
                chain + "\"sender\":\"" + address(alice) + "\",\"nonce\":1,\"command\":{\"type\":\"faucet\",\"amount\":5}} []",
        };
        for (String p : payloads) {
            CommandResult r = driver.submit(TestNetwork.signPayload(alice, p.getBytes(StandardCharsets.UTF_8)));
            assertRefused(r, "INVALID_ARGUMENT");
        }
        assertThat(driver.nonce(alice)).isEqualTo(1);
    }

    @Test
    void shouldRefuseACommandSignedForAnotherChainChangingNothing() {
        String otherChain = ChainId.of(net.genesis.withEpochDurationMillis(net.genesis.epochDurationMillis() + 1));
        assertThat(otherChain).isNotEqualTo(net.chainId);
        String before = state.digest();
        CommandResult r = driver.submit(TestNetwork.sign(otherChain, alice, 1, new Command.Faucet(5)));
        assertRefusedContaining(r, "WRONG_CHAIN", otherChain);
        assertRefused(driver.submit(TestNetwork.sign("tusk-mainnet", alice, 1, new Command.Faucet(5))), "WRONG_CHAIN");
        assertThat(state.digest()).isEqualTo(before);
        assertThat(driver.submit(net.sign(alice, 1, new Command.Faucet(5))).accepted()).isTrue();
    }

    @Test
    void shouldRefuseUnknownAccountExceptForFaucet() {
        Ed25519KeyPair carol = TestNetwork.account(3);
        assertRefused(driver.submit(carol, TestNetwork.registerBlob(1, 100, 1, false)), "UNKNOWN_ACCOUNT");
        assertThat(state.account(address(carol))).isEmpty();
        driver.accept(carol, new Command.Faucet(10));
        assertThat(state.account(address(carol)).orElseThrow().balance()).isEqualTo(10);
    }

    @Test
    void shouldRefuseReplayedAndSkippedNonces() {
        SignedCommand first = net.sign(alice, 1, new Command.Faucet(5));
        assertThat(driver.submit(first).accepted()).isTrue();
        assertThat(((CommandResult.Accepted) driver.submit(first)).retried()).as("the same command: a retry").isTrue();
        assertRefused(driver.submit(net.sign(alice, 1, new Command.Faucet(6))), "BAD_NONCE");
        assertRefused(driver.submit(net.sign(alice, 5, new Command.Faucet(5))), "BAD_NONCE");
        assertThat(driver.nonce(alice)).isEqualTo(2);
        assertThat(state.account(address(alice)).orElseThrow().balance()).isEqualTo(FUNDS + 5);
    }

    @Test
    void shouldRefuseFaucetWhenDisabledAndOutOfRange() {
        assertRefused(driver.submit(alice, new Command.Faucet(0)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.Faucet(GenesisConfig.DEVNET_FAUCET_MAX + 1)), "INVALID_ARGUMENT");
        ControlState closed = states.genesis(net.genesis.withFaucet(false));
        assertRefused(closed.apply(TestNetwork.sign(closed.chainId(), alice, 0, new Command.Faucet(5)), 0), "INVALID_ARGUMENT");
    }

    @Test
    void shouldAnswerAnIndexAppliedBeforeWithItsOutcomeChangingNothing() {
        // a log replayed after a restart hands the state indices it applied already
        SignedCommand faucet = net.sign(alice, 1, new Command.Faucet(5));
        long index = driver.nextIndex;
        CommandResult first = driver.submit(faucet);
        CommandResult refused = driver.submit(net.sign(alice, 9, new Command.Faucet(5)));
        String before = state.digest();
        long lastApplied = state.lastAppliedIndex();

        assertThat(state.apply(faucet, index)).isEqualTo(first);
        assertThat(state.apply(net.sign(alice, 9, new Command.Faucet(5)), index + 1)).isInstanceOf(CommandResult.Refused.class);
        assertThat(refused).isInstanceOf(CommandResult.Refused.class);
        assertThat(state.digest()).isEqualTo(before);
        assertThat(state.lastAppliedIndex()).isEqualTo(lastApplied);
    }

    @Test
    void shouldMoveTheLastAppliedIndexForEveryCommandRefusedOrNot() {
        long start = state.lastAppliedIndex();
        driver.submit(net.sign(alice, 9, new Command.Faucet(5)));
        assertThat(state.lastAppliedIndex()).isEqualTo(start + 1);
        driver.accept(alice, new Command.Faucet(5));
        assertThat(state.lastAppliedIndex()).isEqualTo(start + 2);
    }

    // --------------------------------------------------------------------------- register

    @Test
    void shouldRegisterBlobChargingUnitsTimesPrices() {
        long length = 1_000_000;
        var accepted = driver.accept(alice, TestNetwork.registerBlob(1, length, 3, false));
        long encoded = new EncodingConfig(100).encodedSize(length);
        long units = (encoded + (1 << 20) - 1) / (1 << 20);
        long cost = units * (GenesisConfig.DEVNET_STORAGE_PRICE * 3 + GenesisConfig.DEVNET_WRITE_PRICE);
        assertThat(state.account(address(alice)).orElseThrow().balance()).isEqualTo(FUNDS - cost);

        Event.BlobRegistered event = (Event.BlobRegistered) accepted.events().getFirst();
        assertThat(event.blobId()).isEqualTo(TestNetwork.blobId(1, length).toString());
        assertThat(event.owner()).isEqualTo(address(alice));
        assertThat(event.endEpoch()).isEqualTo(4);
        assertThat(event.epoch()).isEqualTo(1);
        assertThat(event.size()).isEqualTo(length);

        BlobObject object = state.blobObject(event.objectId()).orElseThrow();
        assertThat(object.registeredEpoch()).isEqualTo(1);
        assertThat(object.certifiedEpoch()).isNull();
        assertThat(object.storage().startEpoch()).isEqualTo(1);
        assertThat(object.storage().endEpoch()).isEqualTo(4);
        assertThat(object.storage().storageSize()).isEqualTo(encoded);
        assertThat(object.encodingType()).isEqualTo("RS2");
        assertThat(state.blobsOwnedBy(address(alice)).blobs()).containsExactly(object);
        assertThat(state.blobInfo(TestNetwork.blobId(1, length)).status())
                .isEqualTo(new BlobStatus.Permanent(4, false, new BlobStatus.EventRef(event.cursor()),
                        new BlobStatus.DeletableCounts(0, 0), null));
    }

    @Test
    void shouldRefuseBadRegistrations() {
        var good = TestNetwork.registerBlob(1, 1000, 2, false);
        assertRefused(driver.submit(alice, new Command.RegisterBlob(TestNetwork.blobId(2, 1000).toString(),
                good.rootHash(), 1000, "RS2", 2, false)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.RegisterBlob(good.blobId(), good.rootHash(), 1001, "RS2", 2,
                false)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.RegisterBlob(good.blobId(), good.rootHash(), 1000, "RED", 2,
                false)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.RegisterBlob("not-a-blob-id", good.rootHash(), 1000, "RS2", 2,
                false)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, TestNetwork.registerBlob(1, 1000, 0, false)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, TestNetwork.registerBlob(1, 1000, 54, false)), "INVALID_ARGUMENT");
        long tooLarge = new EncodingConfig(100).maxBlobSize() + 1;
        assertRefused(driver.submit(alice, TestNetwork.registerBlob(1, tooLarge, 1, false)), "INVALID_ARGUMENT");
        assertThat(driver.nonce(alice)).isEqualTo(1);
        assertThat(state.account(address(alice)).orElseThrow().balance()).isEqualTo(FUNDS);
    }

    @Test
    void shouldRefuseRegistrationWithInsufficientBalance() {
        Ed25519KeyPair poor = TestNetwork.account(9);
        driver.accept(poor, new Command.Faucet(10));
        assertRefused(driver.submit(poor, TestNetwork.registerBlob(1, 1000, 1, false)), "INSUFFICIENT_BALANCE");
        assertThat(state.account(address(poor)).orElseThrow().balance()).isEqualTo(10);
        assertThat(state.account(address(poor)).orElseThrow().nextNonce()).isEqualTo(1);
    }

    @Test
    void shouldDeriveObjectIdsFromSenderAndNonceWhateverTheIndex() {
        String a = registered(alice, 1, false);
        String b = registered(alice, 1, false);
        assertThat(a).isNotEqualTo(b);
        assertThat(state.blobInfo(TestNetwork.blobId(1, 1000)).objects()).hasSize(2);

        // the same command at two different log indices (refused commands in between take indices) gives the same IDs
        long nonce = driver.nonce(alice);
        SignedCommand register = net.sign(alice, nonce, TestNetwork.registerBlob(2, 1000, 2, false));
        ControlState other = states.copyOf(state);
        var there = (CommandResult.Accepted) other.apply(register, driver.nextIndex + 1000);
        var here = (CommandResult.Accepted) driver.submit(register);
        assertThat(there.events()).isEqualTo(here.events());
        String objectId = ((Event.BlobRegistered) here.events().getFirst()).objectId();
        assertThat(objectId).isEqualTo(expectedObjectId(alice, nonce, 0).toString());
        assertThat(state.blobObject(objectId).orElseThrow().storage().id())
                .isEqualTo(expectedObjectId(alice, nonce, 1).toString());
    }

    /** Blake2b-256("tusk/object" | sender address | nonce u64 LE | sub u32 LE), as docs/network.md defines it. */
    private static ObjectId expectedObjectId(Ed25519KeyPair sender, long nonce, int sub) {
        byte[] fields = java.nio.ByteBuffer.allocate(32 + 8 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .put(TestNetwork.addressOf(sender).bytes()).putLong(nonce).putInt(sub).array();
        return ObjectId.derive("tusk/object".getBytes(StandardCharsets.US_ASCII), fields);
    }

    // --------------------------------------------------------------------------- exactly once

    @Test
    void shouldAnswerARetriedCommandWithItsOriginalOutcomeApplyingItOnce() {
        SignedCommand register = net.sign(alice, driver.nonce(alice), TestNetwork.registerBlob(1, 1000, 2, false));
        var original = (CommandResult.Accepted) driver.submit(register);
        driver.accept(alice, new Command.Faucet(7)); // the sender moved on meanwhile
        String before = state.digest();

        CommandResult retry = driver.submit(register);
        assertThat(retry).isEqualTo(new CommandResult.Accepted(original.index(), original.events(), true));
        assertThat(state.digest()).as("a retry changes nothing").isEqualTo(before);
        assertThat(state.blobInfo(TestNetwork.blobId(1, 1000)).objects()).hasSize(1);

        // another command at a used nonce is still a replay
        SignedCommand other = net.sign(alice, nonceOf(register), TestNetwork.registerBlob(2, 1000, 2, false));
        assertRefused(driver.submit(other), "BAD_NONCE");
    }

    @Test
    void shouldKeepOutcomesForTheSendersLatestCommandsOnly() {
        Ed25519KeyPair carol = TestNetwork.account(3);
        SignedCommand first = net.sign(carol, 0, new Command.Faucet(1));
        driver.submit(first);
        for (int i = 1; i < Accounts.RETAINED_OUTCOMES; i++) {
            driver.accept(carol, new Command.Faucet(1));
        }
        assertThat(((CommandResult.Accepted) driver.submit(first)).retried()).as("still among the latest").isTrue();
        driver.accept(carol, new Command.Faucet(1));
        assertRefused(driver.submit(first), "BAD_NONCE");
        assertThat(state.account(address(carol)).orElseThrow().balance()).isEqualTo(Accounts.RETAINED_OUTCOMES + 1);
    }

    private static long nonceOf(SignedCommand command) {
        try {
            return io.tusk.control.api.ControlJson.mapper()
                    .readValue(command.payload(), io.tusk.control.api.CommandEnvelope.class).nonce();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    // --------------------------------------------------------------------------- invalidate

    @Test
    void shouldInvalidateWithValidityCertificateFromAnAccountlessSender() {
        String objectId = registered(alice, 1, false);
        driver.accept(alice, new Command.CertifyBlob(objectId, net.fullCertificate(state.committee(), permanent(1))));
        io.tusk.core.metadata.BlobId blobId = TestNetwork.blobId(1, 1000);
        byte[] message = new io.tusk.core.messages.InvalidBlobIdMessage(1, blobId).toBcs();
        // two of four equal nodes hold 50 of 100 shards: more than f = 33
        Certificate cert = net.certificate(state.committee(), List.of(1, 3), message);
        Ed25519KeyPair node = TestNetwork.account(77);
        var accepted = driver.accept(node, new Command.InvalidateBlob(blobId.toString(), cert));
        Event.InvalidBlobId event = (Event.InvalidBlobId) accepted.events().getFirst();
        assertThat(event.blobId()).isEqualTo(blobId.toString());
        assertThat(state.blobInfo(blobId).status()).isEqualTo(new BlobStatus.Invalid(new BlobStatus.EventRef(event.cursor())));
        assertRefused(driver.submit(node, new Command.InvalidateBlob(blobId.toString(), cert)), "ILLEGAL_TRANSITION");
        assertRefused(driver.submit(alice, new Command.ExtendBlob(objectId, 1)), "ILLEGAL_TRANSITION");
    }

    @Test
    void shouldRefuseInvalidationWithoutValidityOrForAnotherBlobOrEpoch() {
        io.tusk.core.metadata.BlobId blobId = TestNetwork.blobId(1, 1000);
        byte[] message = new io.tusk.core.messages.InvalidBlobIdMessage(1, blobId).toBcs();
        assertRefusedContaining(driver.submit(alice, new Command.InvalidateBlob(blobId.toString(),
                net.certificate(state.committee(), List.of(2), message))), "INVALID_CERTIFICATE", "25 shards");
        assertRefused(driver.submit(alice, new Command.InvalidateBlob(TestNetwork.blobId(2, 1000).toString(),
                net.certificate(state.committee(), List.of(0, 1), message))), "INVALID_CERTIFICATE");
        byte[] old = new io.tusk.core.messages.InvalidBlobIdMessage(2, blobId).toBcs();
        assertRefusedContaining(driver.submit(alice, new Command.InvalidateBlob(blobId.toString(),
                net.certificate(state.committee(), List.of(0, 1), old))), "INVALID_CERTIFICATE", "epoch 2");
        // a storage confirmation is not an invalid-blob-ID message
        assertRefused(driver.submit(alice, new Command.InvalidateBlob(blobId.toString(),
                net.fullCertificate(state.committee(), permanent(1)))), "INVALID_CERTIFICATE");
        // signed by other members than the certificate names
        Certificate good = net.certificate(state.committee(), List.of(0, 1), message);
        assertRefused(driver.submit(alice, new Command.InvalidateBlob(blobId.toString(),
                new Certificate(List.of(2, 3), good.serializedMessage(), good.signature()))), "INVALID_CERTIFICATE");
    }

    // --------------------------------------------------------------------------- certify

    @Test
    void shouldCertifyWithQuorumCertificate() {
        String objectId = registered(alice, 1, false);
        Certificate cert = net.certificate(state.committee(), List.of(0, 1, 2), permanent(1));
        // anyone may certify: the certificate speaks for itself
        var accepted = driver.accept(bob, new Command.CertifyBlob(objectId, cert));
        Event.BlobCertified event = (Event.BlobCertified) accepted.events().getFirst();
        assertThat(event.isExtension()).isFalse();
        assertThat(event.endEpoch()).isEqualTo(3);
        assertThat(state.blobObject(objectId).orElseThrow().certifiedEpoch()).isEqualTo(1);
        BlobStatus status = state.blobInfo(TestNetwork.blobId(1, 1000)).status();
        assertThat(status).isEqualTo(new BlobStatus.Permanent(3, true, new BlobStatus.EventRef(event.cursor()),
                new BlobStatus.DeletableCounts(0, 0), 1));
    }

    @Test
    void shouldCertifyDeletableWithItsObjectId() {
        String objectId = registered(alice, 1, true);
        Certificate cert = net.fullCertificate(state.committee(), deletable(1, objectId));
        driver.accept(alice, new Command.CertifyBlob(objectId, cert));
        assertThat(state.blobInfo(TestNetwork.blobId(1, 1000)).status())
                .isEqualTo(new BlobStatus.Deletable(1, new BlobStatus.DeletableCounts(1, 1)));
    }

    @Test
    void shouldRefuseCertifyingTwice() {
        String objectId = registered(alice, 1, false);
        Certificate cert = net.fullCertificate(state.committee(), permanent(1));
        driver.accept(alice, new Command.CertifyBlob(objectId, cert));
        assertRefused(driver.submit(alice, new Command.CertifyBlob(objectId, cert)), "ILLEGAL_TRANSITION");
    }

    @Test
    void shouldRefuseCertifyingExpiredBlob() {
        String objectId = registered(alice, 1, false, 1);
        advance();
        Certificate cert = net.fullCertificate(state.committee(), permanent(1));
        assertRefused(driver.submit(alice, new Command.CertifyBlob(objectId, cert)), "ILLEGAL_TRANSITION");
    }

    @Test
    void shouldRefuseCertifyingUnknownObject() {
        Certificate cert = net.fullCertificate(state.committee(), permanent(1));
        String unknown = new ObjectId(new byte[32]).toString();
        assertRefused(driver.submit(alice, new Command.CertifyBlob(unknown, cert)), "NOT_FOUND");
        assertRefused(driver.submit(alice, new Command.CertifyBlob("0xzz", cert)), "INVALID_ARGUMENT");
    }

    @Test
    void shouldRefuseCertificateWithTooFewShards() {
        String objectId = registered(alice, 1, false);
        // two of four equal nodes hold 50 shards; a quorum of 100 needs 67
        Certificate cert = net.certificate(state.committee(), List.of(0, 1), permanent(1));
        assertRefusedContaining(driver.submit(alice, new Command.CertifyBlob(objectId, cert)), "INVALID_CERTIFICATE",
                "50 shards");
    }

    @Test
    void shouldRefuseCertificateForWrongEpoch() {
        String objectId = registered(alice, 1, false);
        StorageConfirmation old = new StorageConfirmation(2, TestNetwork.blobId(1, 1000), BlobPersistence.PERMANENT);
        Certificate cert = net.fullCertificate(state.committee(), old);
        assertRefusedContaining(driver.submit(alice, new Command.CertifyBlob(objectId, cert)), "INVALID_CERTIFICATE",
                "epoch 2");
    }

    @Test
    void shouldRefuseCertificateForWrongBlob() {
        String objectId = registered(alice, 1, false);
        Certificate cert = net.fullCertificate(state.committee(), permanent(2));
        assertRefused(driver.submit(alice, new Command.CertifyBlob(objectId, cert)), "INVALID_CERTIFICATE");
    }

    @Test
    void shouldRefuseCertificateWithWrongPersistence() {
        String permanentObject = registered(alice, 1, false);
        Certificate asDeletable = net.fullCertificate(state.committee(), deletable(1, permanentObject));
        assertRefused(driver.submit(alice, new Command.CertifyBlob(permanentObject, asDeletable)), "INVALID_CERTIFICATE");

        String deletableObject = registered(alice, 1, true);
        Certificate asPermanent = net.fullCertificate(state.committee(), permanent(1));
        assertRefused(driver.submit(alice, new Command.CertifyBlob(deletableObject, asPermanent)), "INVALID_CERTIFICATE");
        Certificate otherObject = net.fullCertificate(state.committee(), deletable(1, permanentObject));
        assertRefused(driver.submit(alice, new Command.CertifyBlob(deletableObject, otherObject)), "INVALID_CERTIFICATE");
    }

    @Test
    void shouldRefuseForgedCertificate() {
        String objectId = registered(alice, 1, false);
        CommitteeInfo committee = state.committee();
        Certificate real = net.certificate(committee, List.of(0, 1, 2), permanent(1));
        // claims signers 0,1,2 but node 3 signed in place of node 2
        Certificate swapped = net.certificate(committee, List.of(0, 1, 3), permanent(1));
        Certificate forged = new Certificate(List.of(0, 1, 2), real.serializedMessage(), swapped.signature());
        assertRefused(driver.submit(alice, new Command.CertifyBlob(objectId, forged)), "INVALID_CERTIFICATE");
        // a stranger's key signing everything
        BlsKeyPair stranger = TestNetwork.blsKey(999);
        byte[] sig = stranger.sign(real.serializedMessage()).bytes();
        assertRefused(driver.submit(alice, new Command.CertifyBlob(objectId,
                new Certificate(List.of(0, 1, 2, 3), real.serializedMessage(), sig))), "INVALID_CERTIFICATE");
        // garbage signature bytes and bad signer lists
        assertRefused(driver.submit(alice, new Command.CertifyBlob(objectId,
                new Certificate(List.of(0, 1, 2), real.serializedMessage(), new byte[96]))), "INVALID_CERTIFICATE");
        assertRefused(driver.submit(alice, new Command.CertifyBlob(objectId,
                new Certificate(List.of(0, 0, 1, 2), real.serializedMessage(), real.signature()))), "INVALID_CERTIFICATE");
        assertRefused(driver.submit(alice, new Command.CertifyBlob(objectId,
                new Certificate(List.of(0, 1, 2, 7), real.serializedMessage(), real.signature()))), "INVALID_CERTIFICATE");
        assertThat(state.blobObject(objectId).orElseThrow().certifiedEpoch()).isNull();
        driver.accept(alice, new Command.CertifyBlob(objectId, real));
    }

    // --------------------------------------------------------------------------- extend

    @Test
    void shouldExtendCertifiedBlobChargingThePayer() {
        String objectId = certified(alice, 1, false, 2);
        long before = state.account(address(bob)).orElseThrow().balance();
        var accepted = driver.accept(bob, new Command.ExtendBlob(objectId, 5));
        Event.BlobCertified event = (Event.BlobCertified) accepted.events().getFirst();
        assertThat(event.isExtension()).isTrue();
        assertThat(event.endEpoch()).isEqualTo(8);
        long units = (state.blobObject(objectId).orElseThrow().storage().storageSize() + (1 << 20) - 1) / (1 << 20);
        assertThat(state.account(address(bob)).orElseThrow().balance())
                .isEqualTo(before - units * GenesisConfig.DEVNET_STORAGE_PRICE * 5);
        assertThat(state.blobObject(objectId).orElseThrow().storage().endEpoch()).isEqualTo(8);
        assertThat(((BlobStatus.Permanent) state.blobInfo(TestNetwork.blobId(1, 1000)).status()).statusEvent().cursor())
                .isEqualTo(event.cursor());
    }

    @Test
    void shouldRefuseExtendingUncertifiedExpiredOrTooFar() {
        String uncertified = registered(alice, 1, false);
        assertRefused(driver.submit(alice, new Command.ExtendBlob(uncertified, 1)), "ILLEGAL_TRANSITION");
        String objectId = certified(alice, 2, false, 1);
        assertRefused(driver.submit(alice, new Command.ExtendBlob(objectId, 0)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.ExtendBlob(objectId, 53)), "INVALID_ARGUMENT");
        advance();
        assertRefused(driver.submit(alice, new Command.ExtendBlob(objectId, 1)), "ILLEGAL_TRANSITION");
    }

    // --------------------------------------------------------------------------- delete

    @Test
    void shouldDeleteDeletableBlobByOwner() {
        String objectId = certified(alice, 1, true, 3);
        assertRefused(driver.submit(bob, new Command.DeleteBlob(objectId)), "NOT_OWNER");
        var accepted = driver.accept(alice, new Command.DeleteBlob(objectId));
        Event.BlobDeleted event = (Event.BlobDeleted) accepted.events().getFirst();
        assertThat(event.wasCertified()).isTrue();
        assertThat(state.blobObject(objectId)).isEmpty();
        assertThat(state.blobInfo(TestNetwork.blobId(1, 1000)).status()).isEqualTo(new BlobStatus.Nonexistent());
        assertRefused(driver.submit(alice, new Command.DeleteBlob(objectId)), "NOT_FOUND");
    }

    @Test
    void shouldRefuseDeletingPermanentOrExpiredBlob() {
        String permanent = registered(alice, 1, false);
        assertRefused(driver.submit(alice, new Command.DeleteBlob(permanent)), "ILLEGAL_TRANSITION");
        String shortLived = registered(alice, 2, true, 1);
        advance();
        assertRefused(driver.submit(alice, new Command.DeleteBlob(shortLived)), "ILLEGAL_TRANSITION");
    }

    // --------------------------------------------------------------------------- epochs and nodes

    @Test
    void shouldAdvanceEpochOnlyForTheAdmin() {
        assertRefused(driver.submit(alice, new Command.AdvanceEpoch(TestNetwork.GENESIS_TIME + 1)), "NOT_OWNER");
        assertRefused(driver.submit(net.admin, new Command.AdvanceEpoch(TestNetwork.GENESIS_TIME - 1)),
                "INVALID_ARGUMENT");
        var accepted = driver.accept(net.admin, new Command.AdvanceEpoch(TestNetwork.GENESIS_TIME + 5));
        long cursor = accepted.events().getFirst().cursor();
        // Nothing moves, so every member is synced at once and the change completes in the same command.
        assertThat(accepted.events()).containsExactly(new Event.EpochChange(cursor, 2),
                new Event.EpochChangeDone(cursor + 1, 2));
        assertThat(state.epoch()).isEqualTo(2);
        assertThat(state.committee().epoch()).isEqualTo(2);
        assertThat(state.epochInfo().startTimeMillis()).isEqualTo(TestNetwork.GENESIS_TIME + 5);
        assertThat(state.previousCommittee().orElseThrow().epoch()).isEqualTo(1);
    }

    @Test
    void shouldExpireBlobsAtTheStartOfTheirEndEpoch() {
        registered(alice, 1, false, 2);
        BlobId id = TestNetwork.blobId(1, 1000);
        advance();
        assertThat(state.blobInfo(id).status()).isInstanceOf(BlobStatus.Permanent.class);
        advance();
        assertThat(state.blobInfo(id).status()).isEqualTo(new BlobStatus.Nonexistent());
        assertThat(state.blobInfo(id).objects()).hasSize(1);
    }

    @Test
    void shouldRegisterNodeThatJoinsAtNextEpochKeepingShardsInPlace() {
        Ed25519KeyPair operator = TestNetwork.account(77);
        driver.accept(operator, new Command.Faucet(100));
        BlsKeyPair key = TestNetwork.blsKey(500);
        byte[] pop = key.sign(new ProofOfPossessionMessage(1, TestNetwork.addressOf(operator), key.publicKey()).toBcs())
                .bytes();
        var accepted = driver.accept(operator, new Command.RegisterNode("new-node", "10.0.0.5:9185",
                key.publicKey().bytes(), pop, 40));
        String nodeId = ((Event.NodeRegistered) accepted.events().getFirst()).nodeId();
        assertThat(state.account(address(operator)).orElseThrow().balance()).isEqualTo(60);
        assertThat(state.committee().members()).hasSize(4);

        CommitteeInfo before = state.committee();
        advance();
        CommitteeInfo after = state.committee();
        assertThat(after.members()).hasSize(5);
        CommitteeMember joined = after.members().stream().filter(m -> m.nodeId().equals(nodeId)).findFirst().orElseThrow();
        assertThat(joined.shards()).hasSize(50); // stake 40 of 80
        int total = 0;
        for (CommitteeMember m : after.members()) {
            total += m.shards().size();
            if (!m.nodeId().equals(nodeId)) {
                assertThat(m.shards()).hasSize(13 - (m.shards().size() == 12 ? 1 : 0));
                CommitteeMember old = before.members().stream().filter(o -> o.nodeId().equals(m.nodeId()))
                        .findFirst().orElseThrow();
                assertThat(old.shards()).containsAll(m.shards());
            }
        }
        assertThat(total).isEqualTo(100);
    }

    @Test
    void shouldRefuseBadNodeRegistrations() {
        BlsKeyPair key = TestNetwork.blsKey(501);
        byte[] popForBob = key.sign(new ProofOfPossessionMessage(1, TestNetwork.addressOf(bob), key.publicKey()).toBcs())
                .bytes();
        // alice cannot register a key whose possession was proven for bob
        assertRefused(driver.submit(alice, new Command.RegisterNode("n", "h:1", key.publicKey().bytes(), popForBob, 1)),
                "INVALID_SIGNATURE");
        byte[] popForAlice = key.sign(new ProofOfPossessionMessage(1, TestNetwork.addressOf(alice), key.publicKey())
                .toBcs()).bytes();
        assertRefused(driver.submit(alice, new Command.RegisterNode("n", "no-port", key.publicKey().bytes(),
                popForAlice, 1)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.RegisterNode("n", "h:1", new byte[48], popForAlice, 1)),
                "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.RegisterNode("n", "h:1", key.publicKey().bytes(), popForAlice,
                FUNDS + 1)), "INSUFFICIENT_BALANCE");
        driver.accept(alice, new Command.RegisterNode("n", "h:1", key.publicKey().bytes(), popForAlice, 1));
        assertRefused(driver.submit(alice, new Command.RegisterNode("n", "h:1", key.publicKey().bytes(), popForAlice,
                1)), "ILLEGAL_TRANSITION");
        // a genesis node's key cannot be registered again
        BlsKeyPair genesisKey = net.nodeKeys.get(0);
        byte[] pop = genesisKey.sign(new ProofOfPossessionMessage(1, TestNetwork.addressOf(alice),
                genesisKey.publicKey()).toBcs()).bytes();
        assertRefused(driver.submit(alice, new Command.RegisterNode("n", "h:1", genesisKey.publicKey().bytes(), pop, 1)),
                "ILLEGAL_TRANSITION");
    }

    @Test
    void shouldCertifyAgainstTheNewCommitteeAfterEpochChange() {
        String objectId = registered(alice, 1, false, 5);
        Certificate oldCert = net.fullCertificate(state.committee(), permanent(1));
        advance();
        assertRefused(driver.submit(alice, new Command.CertifyBlob(objectId, oldCert)), "INVALID_CERTIFICATE");
        Certificate cert = net.fullCertificate(state.committee(), new StorageConfirmation(2, TestNetwork.blobId(1, 1000),
                BlobPersistence.PERMANENT));
        driver.accept(alice, new Command.CertifyBlob(objectId, cert));
        assertThat(state.blobObject(objectId).orElseThrow().certifiedEpoch()).isEqualTo(2);
    }

    // --------------------------------------------------------------------------- aggregate status

    @Test
    void shouldAggregateStatusOverObjects() {
        BlobId id = TestNetwork.blobId(1, 1000);
        String d1 = certified(alice, 1, true, 2);
        registered(bob, 1, true);
        assertThat(state.blobInfo(id).status()).isEqualTo(new BlobStatus.Deletable(1, new BlobStatus.DeletableCounts(2, 1)));
        String p1 = registered(alice, 1, false, 3);
        BlobStatus.Permanent p = (BlobStatus.Permanent) state.blobInfo(id).status();
        assertThat(p.isCertified()).isFalse();
        assertThat(p.endEpoch()).isEqualTo(4);
        assertThat(p.deletableCounts()).isEqualTo(new BlobStatus.DeletableCounts(2, 1));
        assertThat(p.initialCertifiedEpoch()).isEqualTo(1);
        driver.accept(alice, new Command.CertifyBlob(p1, net.fullCertificate(state.committee(), permanent(1))));
        assertThat(((BlobStatus.Permanent) state.blobInfo(id).status()).isCertified()).isTrue();
        driver.accept(alice, new Command.DeleteBlob(d1));
        BlobInfo info = state.blobInfo(id);
        assertThat(((BlobStatus.Permanent) info.status()).deletableCounts())
                .isEqualTo(new BlobStatus.DeletableCounts(1, 0));
        assertThat(info.objects()).hasSize(2);
        // The O(1) counts for metrics: three objects registered, one deleted, all naming one blob ID.
        assertThat(state.blobCounts()).isEqualTo(new ControlState.BlobCounts(1, 2));
        registered(bob, 2, true);
        assertThat(state.blobCounts()).isEqualTo(new ControlState.BlobCounts(2, 3));
    }

    @Test
    void shouldAssignEventCursorsFromZeroInOrder() {
        registered(alice, 1, false);
        advance();
        List<Event> events = state.events(0, 100);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).cursor()).isEqualTo(i);
        }
        assertThat(state.events(1, 1)).hasSize(1);
        assertThat(state.events(events.size(), 10)).isEmpty();
    }

    // --------------------------------------------------------------------------- snapshots

    @Test
    void shouldRestoreACheckpointToAnEqualStateThatAppliesAlike() {
        String objectId = certified(alice, 1, true, 3);
        advance();
        driver.accept(bob, new Command.ExtendBlob(objectId, 2));
        ControlState restored = states.copyOf(state);
        assertThat(restored.digest()).isEqualTo(state.digest());
        assertThat(restored.lastAppliedIndex()).isEqualTo(state.lastAppliedIndex());
        assertThat(restored.events(0, 1000)).isEqualTo(state.events(0, 1000));
        assertThat(restored.committee()).usingRecursiveComparison().isEqualTo(state.committee());
        // and it keeps working identically
        SignedCommand next = net.sign(alice, driver.nonce(alice), new Command.DeleteBlob(objectId));
        CommandResult a = state.apply(next, driver.nextIndex);
        CommandResult b = restored.apply(next, driver.nextIndex);
        assertThat(a).isEqualTo(b);
        assertThat(restored.digest()).isEqualTo(state.digest());
    }

    @Test
    void shouldKeepItsStateAcrossAReopen() throws Exception {
        String objectId = certified(alice, 1, false, 3);
        advance();
        String digest = state.digest();
        long lastApplied = state.lastAppliedIndex();
        Path where = dir.resolve("reopened");
        try (ControlState first = ControlState.open(where, net.genesis)) {
            StateDriver d = new StateDriver(first);
            for (SignedCommand c : driver.accepted) {
                d.submit(c);
            }
        }
        try (ControlState reopened = ControlState.open(where, null)) {
            assertThat(reopened.blobObject(objectId)).isPresent();
            assertThat(reopened.epoch()).isEqualTo(state.epoch());
            assertThat(reopened.account(address(alice))).isEqualTo(state.account(address(alice)));
            assertThat(reopened.lastAppliedIndex()).isEqualTo(driver.accepted.size() - 1);
        }
        assertThat(state.digest()).isEqualTo(digest);
        assertThat(state.lastAppliedIndex()).isEqualTo(lastApplied);
        assertThatThrownBy(() -> ControlState.open(where, net.genesis.withShardCount(200)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("another genesis");
    }

    // --------------------------------------------------------------------------- helpers

    private String registered(Ed25519KeyPair owner, int seed, boolean deletable) {
        return registered(owner, seed, deletable, 2);
    }

    private String registered(Ed25519KeyPair owner, int seed, boolean deletable, int epochs) {
        var accepted = driver.accept(owner, TestNetwork.registerBlob(seed, 1000, epochs, deletable));
        return ((Event.BlobRegistered) accepted.events().getFirst()).objectId();
    }

    private String certified(Ed25519KeyPair owner, int seed, boolean deletable, int epochs) {
        String objectId = registered(owner, seed, deletable, epochs);
        StorageConfirmation confirmation = deletable ? deletable(seed, objectId) : permanent(seed);
        driver.accept(owner, new Command.CertifyBlob(objectId, net.fullCertificate(state.committee(), confirmation)));
        return objectId;
    }

    private StorageConfirmation permanent(int seed) {
        return new StorageConfirmation(state.epoch(), TestNetwork.blobId(seed, 1000), BlobPersistence.PERMANENT);
    }

    private StorageConfirmation deletable(int seed, String objectId) {
        return new StorageConfirmation(state.epoch(), TestNetwork.blobId(seed, 1000),
                BlobPersistence.deletable(ObjectId.parse(objectId)));
    }

    private void advance() {
        long start = state.epochInfo().startTimeMillis() + 1000;
        driver.accept(net.admin, new Command.AdvanceEpoch(start));
    }

    private static void assertRefused(CommandResult result, String reason) {
        assertThat(result).isInstanceOf(CommandResult.Refused.class);
        assertThat(((CommandResult.Refused) result).reason().reason()).as(((CommandResult.Refused) result).message())
                .isEqualTo(reason);
    }

    private static void assertRefusedContaining(CommandResult result, String reason, String text) {
        assertRefused(result, reason);
        assertThat(((CommandResult.Refused) result).message()).contains(text);
    }
}
