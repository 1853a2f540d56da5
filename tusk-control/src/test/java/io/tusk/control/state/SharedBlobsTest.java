package io.tusk.control.state;

import io.tusk.control.api.BlobStatus;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.SharedBlob;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.StorageConfirmation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.tusk.control.state.TestNetwork.address;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared blobs ({@code shareBlob}, {@code fundSharedBlob}, {@code extendSharedBlob}) and {@code burnBlobs} on a real
 * state (RocksDB): who may do what, who pays, what the blob ID's status says afterwards, and every refusal changing
 * nothing.
 */
class SharedBlobsTest extends FundedStateTest {
    private static final long FUNDS = 1_000_000_000_000L;

    // --------------------------------------------------------------------------- share, fund, extend

    @Test
    void shouldShareFundAndLetAnyoneExtendFromTheFundsOnly() {
        String objectId = certified(alice, 1, true, 3);
        long aliceBefore = balance(alice);
        var shared = (Event.BlobShared) driver.accept(alice, new Command.ShareBlob(objectId, 1_000)).events().getFirst();
        assertThat(shared.objectId()).isEqualTo(objectId);
        assertThat(shared.blobId()).isEqualTo(TestNetwork.blobId(1, 1000).toString());
        assertThat(shared.sharedBlobId()).isNotEqualTo(objectId);
        String sharedId = shared.sharedBlobId();
        assertThat(balance(alice)).isEqualTo(aliceBefore - 1_000);
        assertThat(state.sharedBlob(sharedId)).hasValueSatisfying(s -> {
            assertThat(s.funds()).isEqualTo(1_000);
            assertThat(s.blob().id()).isEqualTo(objectId);
        });
        // the blob object left alice's objects and her owner-only commands
        assertThat(state.blobsOwnedBy(address(alice)).blobs()).isEmpty();
        assertRefused(driver.submit(alice, new Command.DeleteBlob(objectId)), "NOT_OWNER");
        assertRefused(driver.submit(alice, new Command.SetBlobAttribute(objectId, Map.of("k", "v"))), "NOT_OWNER");
        assertRefused(driver.submit(alice, new Command.BurnBlobs(List.of(objectId))), "NOT_OWNER");
        assertRefused(driver.submit(alice, new Command.ShareBlob(objectId, 0)), "NOT_OWNER");

        // anyone funds it from their own balance
        long bobBefore = balance(bob);
        driver.accept(bob, new Command.FundSharedBlob(sharedId, 5_000_000));
        assertThat(balance(bob)).isEqualTo(bobBefore - 5_000_000);
        assertThat(state.sharedBlob(sharedId).orElseThrow().funds()).isEqualTo(5_001_000);

        // anyone extends it, paid from the funds: the sender's balance does not move
        long cost = units(objectId) * GenesisConfig.DEVNET_STORAGE_PRICE * 2;
        var extended = (Event.BlobCertified) driver.accept(bob, new Command.ExtendSharedBlob(sharedId, 2)).events()
                .getFirst();
        assertThat(extended.isExtension()).isTrue();
        assertThat(extended.objectId()).isEqualTo(objectId);
        assertThat(extended.endEpoch()).isEqualTo(state.epoch() + 3 + 2);
        assertThat(balance(bob)).isEqualTo(bobBefore - 5_000_000);
        SharedBlob after = state.sharedBlob(sharedId).orElseThrow();
        assertThat(after.funds()).isEqualTo(5_001_000 - cost);
        assertThat(after.blob().storage().endEpoch()).isEqualTo(extended.endEpoch());
        // the shared blob survives a checkpoint, equal digests
        assertThat(states.copyOf(state).digest()).isEqualTo(state.digest());
    }

    @Test
    void shouldRefuseExtensionsTheFundsDoNotCoverAndBadArguments() {
        String objectId = certified(alice, 1, false, 3);
        String sharedId = share(alice, objectId, 0);
        String digest = state.digest();
        assertRefusedContaining(driver.submit(bob, new Command.ExtendSharedBlob(sharedId, 1)), "INSUFFICIENT_BALANCE",
                "has 0 in funds");
        long cost = units(objectId) * GenesisConfig.DEVNET_STORAGE_PRICE;
        driver.accept(bob, new Command.FundSharedBlob(sharedId, cost - 1));
        assertRefused(driver.submit(bob, new Command.ExtendSharedBlob(sharedId, 1)), "INSUFFICIENT_BALANCE");
        driver.accept(bob, new Command.FundSharedBlob(sharedId, 1));
        digest = state.digest();
        assertRefused(driver.submit(bob, new Command.ExtendSharedBlob(sharedId, 0)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(bob, new Command.ExtendSharedBlob(sharedId, net.genesis.maxEpochsAhead())),
                "INVALID_ARGUMENT");
        assertRefused(driver.submit(bob, new Command.FundSharedBlob(sharedId, 0)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(bob, new Command.FundSharedBlob(sharedId, FUNDS * 2)), "INSUFFICIENT_BALANCE");
        assertRefused(driver.submit(bob, new Command.FundSharedBlob("0x" + "ab".repeat(32), 1)), "NOT_FOUND");
        assertRefused(driver.submit(bob, new Command.ExtendSharedBlob(objectId, 1)), "NOT_FOUND"); // a blob, not shared
        assertRefused(driver.submit(bob, new Command.FundSharedBlob("nope", 1)), "INVALID_ARGUMENT");
        assertThat(state.digest()).isEqualTo(digest); // refusals change nothing
        driver.accept(bob, new Command.ExtendSharedBlob(sharedId, 1));
        assertThat(state.sharedBlob(sharedId).orElseThrow().funds()).isZero();
    }

    @Test
    void shouldShareOnlyOwnUnexpiredBlobsWithFundsTheSenderHas() {
        String objectId = certified(alice, 1, false, 1);
        assertRefused(driver.submit(bob, new Command.ShareBlob(objectId, 0)), "NOT_OWNER");
        assertRefused(driver.submit(alice, new Command.ShareBlob(objectId, -1)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.ShareBlob(objectId, FUNDS * 2)), "INSUFFICIENT_BALANCE");
        assertRefused(driver.submit(alice, new Command.ShareBlob("0x" + "cd".repeat(32), 0)), "NOT_FOUND");
        assertThat(state.blobsOwnedBy(address(alice)).blobs()).hasSize(1); // still hers
        advance();
        assertRefused(driver.submit(alice, new Command.ShareBlob(objectId, 0)), "ILLEGAL_TRANSITION"); // expired
        // an uncertified shared blob can be funded, not extended
        String registered = registered(alice, 2, false, 3);
        String sharedId = share(alice, registered, 10_000_000);
        assertRefused(driver.submit(bob, new Command.ExtendSharedBlob(sharedId, 1)), "ILLEGAL_TRANSITION");
    }

    // --------------------------------------------------------------------------- burn

    @Test
    void shouldBurnOwnObjectsKeepingTheBlobStatusUntilTheyExpire() {
        String permanent = certified(alice, 1, false, 3);
        String deletable = certified(alice, 2, true, 3);
        driver.accept(alice, new Command.SetBlobAttribute(permanent, Map.of("content-type", "text/plain")));
        var accepted = driver.accept(alice, new Command.BurnBlobs(List.of(permanent, deletable)));
        assertThat(accepted.events()).isEmpty(); // as Walrus: nodes keep the data until its end epoch
        assertThat(state.blobsOwnedBy(address(alice)).blobs()).isEmpty();
        assertThat(state.blobObject(permanent)).isEmpty();
        assertThat(state.blobAttribute(permanent)).isEmpty();
        // the blob IDs' status still counts them: the nodes still hold the data
        assertThat(state.blobInfo(TestNetwork.blobId(1, 1000)).status()).isInstanceOfSatisfying(
                BlobStatus.Permanent.class, p -> assertThat(p.isCertified()).isTrue());
        assertThat(state.blobInfo(TestNetwork.blobId(2, 1000)).status()).isInstanceOf(BlobStatus.Deletable.class);
        assertThat(state.blobCounts().objects()).isEqualTo(2);
        // nobody can delete, extend, share or burn them again
        assertRefusedContaining(driver.submit(alice, new Command.DeleteBlob(deletable)), "ILLEGAL_TRANSITION", "burned");
        assertRefusedContaining(driver.submit(bob, new Command.ExtendBlob(permanent, 1)), "ILLEGAL_TRANSITION", "burned");
        assertRefused(driver.submit(alice, new Command.ShareBlob(permanent, 0)), "ILLEGAL_TRANSITION");
        assertRefused(driver.submit(alice, new Command.BurnBlobs(List.of(permanent))), "ILLEGAL_TRANSITION");
        assertThat(states.copyOf(state).digest()).isEqualTo(state.digest());
    }

    @Test
    void shouldRemoveBurnedExpiredObjectsOutright() {
        String expired = certified(alice, 1, false, 1);
        String live = certified(alice, 2, false, 3);
        advance();
        driver.accept(alice, new Command.BurnBlobs(List.of(expired)));
        assertThat(state.blobInfo(TestNetwork.blobId(1, 1000)).objects()).isEmpty();
        assertThat(state.blobCounts().objects()).isEqualTo(1);
        assertThat(state.blobsOwnedBy(address(alice)).blobs()).extracting(o -> o.id()).containsExactly(live);
    }

    @Test
    void shouldBurnAllOrNone() {
        String mine = certified(alice, 1, false, 3);
        String bobs = certified(bob, 2, false, 3);
        String digest = state.digest();
        assertRefused(driver.submit(alice, new Command.BurnBlobs(List.of(mine, bobs))), "NOT_OWNER");
        assertRefused(driver.submit(alice, new Command.BurnBlobs(List.of(mine, mine))), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.BurnBlobs(List.of())), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.BurnBlobs(List.of(mine, "0x" + "ef".repeat(32)))), "NOT_FOUND");
        List<String> tooMany = new ArrayList<>(Collections.nCopies(Command.BurnBlobs.MAX_BURNS + 1, mine));
        assertRefused(driver.submit(alice, new Command.BurnBlobs(tooMany)), "INVALID_ARGUMENT");
        assertThat(state.digest()).isEqualTo(digest);
        assertThat(state.blobObject(mine)).isPresent();
        // any form of the ID names the same object
        driver.accept(alice, new Command.BurnBlobs(List.of(mine.toUpperCase().replace("0X", "0x"))));
        assertThat(state.blobObject(mine)).isEmpty();
    }

    // --------------------------------------------------------------------------- helpers

    private String share(Ed25519KeyPair owner, String objectId, long amount) {
        return ((Event.BlobShared) driver.accept(owner, new Command.ShareBlob(objectId, amount)).events().getFirst())
                .sharedBlobId();
    }

    private long balance(Ed25519KeyPair key) {
        return state.account(address(key)).orElseThrow().balance();
    }

    private long units(String objectId) {
        long size = state.blobObject(objectId).orElseThrow().storage().storageSize();
        return (size + ControlState.UNIT_SIZE - 1) / ControlState.UNIT_SIZE;
    }

    private String registered(Ed25519KeyPair owner, int seed, boolean deletable, int epochs) {
        var accepted = driver.accept(owner, TestNetwork.registerBlob(seed, 1000, epochs, deletable));
        return ((Event.BlobRegistered) accepted.events().getFirst()).objectId();
    }

    private String certified(Ed25519KeyPair owner, int seed, boolean deletable, int epochs) {
        String objectId = registered(owner, seed, deletable, epochs);
        StorageConfirmation confirmation = new StorageConfirmation(state.epoch(), TestNetwork.blobId(seed, 1000),
                deletable ? BlobPersistence.deletable(ObjectId.parse(objectId)) : BlobPersistence.PERMANENT);
        driver.accept(owner, new Command.CertifyBlob(objectId, net.fullCertificate(state.committee(), confirmation)));
        return objectId;
    }

    private void advance() {
        driver.accept(net.admin, new Command.AdvanceEpoch(state.epochInfo().startTimeMillis() + 1000));
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
