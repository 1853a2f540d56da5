package io.tusk.control.state;

import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.SpaceHead;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.StorageConfirmation;
import org.junit.jupiter.api.Test;


import static io.tusk.control.state.TestNetwork.address;
import static org.assertj.core.api.Assertions.assertThat;

/** The spaces concern on RocksDB: create, compare-and-swap commits, refusals that change nothing, queries, reopen. */
class SpaceRegistryTest extends FundedStateTest {
    @Test
    void shouldCreateAnEmptySpaceAtVersionZero() {
        var accepted = driver.accept(alice, new Command.CreateSpace("notes", true));
        assertThat(accepted.events()).singleElement().isInstanceOfSatisfying(Event.SpaceCreated.class, e -> {
            assertThat(e.owner()).isEqualTo(address(alice));
            assertThat(e.name()).isEqualTo("notes");
            assertThat(e.encrypted()).isTrue();
        });
        SpaceHead head = state.spaceHead(address(alice), "notes").orElseThrow();
        assertThat(head.version()).isZero();
        assertThat(head.manifestBlobId()).isNull();
        assertThat(head.encrypted()).isTrue();
        assertThat(head.createdEpoch()).isEqualTo(1);
        assertThat(state.spacesOwnedBy(address(alice)).spaces()).containsExactly(head);
        assertThat(state.spacesOwnedBy(address(bob)).spaces()).isEmpty();
        assertThat(state.spaceHead(address(bob), "notes")).isEmpty();
    }

    @Test
    void shouldRefuseDuplicateAndBadNamesChangingNothing() {
        driver.accept(alice, new Command.CreateSpace("notes", false));
        String before = state.digest();
        assertRefused(driver.submit(alice, new Command.CreateSpace("notes", true)), "ALREADY_EXISTS");
        for (String bad : new String[]{"", ".hidden", "a/b", "x".repeat(65), "späce", "a b"}) {
            assertRefused(driver.submit(alice, new Command.CreateSpace(bad, false)), "INVALID_ARGUMENT");
        }
        assertThat(state.digest()).isEqualTo(before);
        // another owner may use the same name
        driver.accept(bob, new Command.CreateSpace("notes", false));
    }

    @Test
    void shouldMoveTheHeadByCompareAndSwapOnly() {
        driver.accept(alice, new Command.CreateSpace("notes", false));
        String m1 = certifiedBlob(1);
        String m2 = certifiedBlob(2);
        var first = driver.accept(alice, new Command.CommitSpace("notes", 0, m1, 5_000));
        assertThat(first.events()).singleElement().isInstanceOfSatisfying(Event.SpaceCommitted.class, e -> {
            assertThat(e.version()).isEqualTo(1);
            assertThat(e.manifestBlobId()).isEqualTo(m1);
            assertThat(e.commitTimeMillis()).isEqualTo(5_000);
        });
        // A second writer built on version 0 too: refused, nothing changes.
        String before = state.digest();
        assertRefusedContaining(driver.submit(alice, new Command.CommitSpace("notes", 0, m2, 6_000)),
                "VERSION_CONFLICT", "at version 1, not 0");
        assertThat(state.digest()).isEqualTo(before);
        driver.accept(alice, new Command.CommitSpace("notes", 1, m2, 6_000));
        SpaceHead head = state.spaceHead(address(alice), "notes").orElseThrow();
        assertThat(head.version()).isEqualTo(2);
        assertThat(head.manifestBlobId()).isEqualTo(m2);
        assertThat(head.commitTimeMillis()).isEqualTo(6_000);
    }

    @Test
    void shouldRefuseCommitsToUnknownSpacesUncertifiedManifestsAndTimeGoingBack() {
        driver.accept(alice, new Command.CreateSpace("notes", false));
        String m1 = certifiedBlob(1);
        assertRefused(driver.submit(bob, new Command.CommitSpace("notes", 0, m1, 1)), "NOT_FOUND"); // bob has none
        assertRefused(driver.submit(alice, new Command.CommitSpace("other", 0, m1, 1)), "NOT_FOUND");
        assertRefused(driver.submit(alice, new Command.CommitSpace("notes", 0, "not-a-blob-id", 1)), "INVALID_ARGUMENT");
        driver.accept(alice, TestNetwork.registerBlob(9, 1000, 2, false));
        assertRefusedContaining(driver.submit(alice, new Command.CommitSpace("notes", 0,
                TestNetwork.blobId(9, 1000).toString(), 1)), "ILLEGAL_TRANSITION", "not certified");
        driver.accept(alice, new Command.CommitSpace("notes", 0, m1, 10_000));
        assertRefusedContaining(driver.submit(alice, new Command.CommitSpace("notes", 1, m1, 9_999)),
                "INVALID_ARGUMENT", "before the head's 10000");
        assertThat(state.spaceHead(address(alice), "notes").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void shouldKeepSpacesInCheckpointsAndAcrossAReopen() throws Exception {
        driver.accept(alice, new Command.CreateSpace("b", true));
        driver.accept(alice, new Command.CreateSpace("a", false));
        driver.accept(bob, new Command.CreateSpace("a", false));
        String manifest = certifiedBlob(3);
        driver.accept(alice, new Command.CommitSpace("a", 0, manifest, 7));
        ControlState copy = states.copyOf(state);
        assertThat(copy.digest()).isEqualTo(state.digest());
        assertThat(copy.spacesOwnedBy(address(alice)).spaces())
                .extracting(SpaceHead::name, SpaceHead::version, SpaceHead::encrypted, SpaceHead::manifestBlobId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 1L, false, manifest),
                        org.assertj.core.groups.Tuple.tuple("b", 0L, true, null));
        assertThat(copy.spacesOwnedBy(address(bob)).spaces()).extracting(SpaceHead::name).containsExactly("a");
        // the copy goes on exactly like the original: the CAS sees version 1 on both
        var next = net.sign(alice, driver.nonce(alice), new Command.CommitSpace("a", 0, manifest, 8));
        CommandResult a = state.apply(next, driver.nextIndex);
        CommandResult b = copy.apply(next, driver.nextIndex);
        assertThat(a).isEqualTo(b).isInstanceOf(CommandResult.Refused.class);
        assertThat(copy.digest()).isEqualTo(state.digest());
    }

    @Test
    void shouldListAnOwnersSpacesAndFindNothingForNamesNoSpaceCanHave() {
        for (int i = 0; i < 3; i++) {
            driver.accept(alice, new Command.CreateSpace("s" + i, false));
        }
        driver.accept(bob, new Command.CreateSpace("s0", false));
        assertRefused(driver.submit(bob, new Command.CreateSpace("s0", false)), "ALREADY_EXISTS");
        assertThat(state.spacesOwnedBy(address(alice)).spaces()).extracting(SpaceHead::name)
                .containsExactly("s0", "s1", "s2");
        assertThat(state.spaceCount()).as("the network's count, refusals not counted").isEqualTo(4);
        // a name that cannot be a space finds nothing rather than failing the query
        assertThat(state.spaceHead(address(alice), "a/b")).isEmpty();
        assertThat(state.spacesOwnedBy(address(TestNetwork.account(3))).spaces()).isEmpty();
    }

    private String certifiedBlob(int seed) {
        var registered = driver.accept(alice, TestNetwork.registerBlob(seed, 1000, 2, false));
        String objectId = ((Event.BlobRegistered) registered.events().getFirst()).objectId();
        StorageConfirmation confirmation = new StorageConfirmation(state.epoch(), TestNetwork.blobId(seed, 1000),
                BlobPersistence.PERMANENT);
        driver.accept(alice, new Command.CertifyBlob(objectId, net.fullCertificate(state.committee(), confirmation)));
        return TestNetwork.blobId(seed, 1000).toString();
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
