package io.tusk.control.state;

import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.SpaceHead;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static io.tusk.control.state.TestNetwork.address;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inline versions of spaces on RocksDB: small commits the control plane holds, their limits, folds into manifest
 * blobs, blob commits that drop them, refusals that change nothing, checkpoints, reopen and the old head layout.
 */
class SpaceInlineVersionsTest extends FundedStateTest {
    private static final int MAX_VERSIONS = Command.CommitSpace.MAX_INLINE_VERSIONS;

    @Test
    void shouldMoveTheHeadWithAnInlineCommitAndAnswerItAfterAVersion() {
        driver.accept(alice, new Command.CreateSpace("notes", true));
        var first = driver.accept(alice, Command.CommitSpace.inline("notes", 0, 1_000, base64("one"), base64("k1")));
        assertThat(first.events()).singleElement().isInstanceOfSatisfying(Event.SpaceCommitted.class, e -> {
            assertThat(e.version()).isEqualTo(1);
            assertThat(e.inline()).isTrue();
            assertThat(e.manifestBlobId()).as("a space at version 0 has no manifest").isNull();
            assertThat(e.commitTimeMillis()).isEqualTo(1_000);
        });
        driver.accept(alice, Command.CommitSpace.inline("notes", 1, 1_000, base64("two"), null));

        SpaceHead head = state.spaceHead(address(alice), "notes").orElseThrow();
        assertThat(head.version()).isEqualTo(2);
        assertThat(head.manifestVersion()).isZero();
        assertThat(head.manifestBlobId()).isNull();
        assertThat(head.commitTimeMillis()).isEqualTo(1_000);
        assertThat(head.inline()).as("only asked for with inlineAfter").isEmpty();
        assertThat(state.spaceHead(address(alice), "notes", 0).orElseThrow().inline()).containsExactly(
                new SpaceHead.InlineVersion(1, 1_000, base64("one"), base64("k1")),
                new SpaceHead.InlineVersion(2, 1_000, base64("two"), null));
        assertThat(state.spaceHead(address(alice), "notes", 1).orElseThrow().inline())
                .extracting(SpaceHead.InlineVersion::version).containsExactly(2L);
        assertThat(state.spaceHead(address(alice), "notes", 2).orElseThrow().inline()).isEmpty();
        assertThat(state.spaceHead(address(alice), "notes", 99).orElseThrow().inline()).isEmpty();
        assertThat(state.spacesOwnedBy(address(alice)).spaces()).singleElement()
                .satisfies(h -> assertThat(h.inline()).isEmpty())
                .satisfies(h -> assertThat(h.version()).isEqualTo(2));
    }

    @Test
    void shouldRefuseAnInlineCommitOnAStaleVersionOrAnEarlierTime() {
        driver.accept(alice, new Command.CreateSpace("notes", false));
        driver.accept(alice, Command.CommitSpace.inline("notes", 0, 5_000, base64("a"), null));
        String before = state.digest();
        assertRefused(driver.submit(alice, Command.CommitSpace.inline("notes", 0, 5_000, base64("b"), null)),
                "VERSION_CONFLICT", "at version 1, not 0");
        assertRefused(driver.submit(alice, Command.CommitSpace.inline("notes", 1, 4_999, base64("b"), null)),
                "INVALID_ARGUMENT", "before the head's 5000");
        assertRefused(driver.submit(bob, Command.CommitSpace.inline("notes", 1, 5_000, base64("b"), null)),
                "NOT_FOUND", "has no space named 'notes'");
        assertThat(state.digest()).isEqualTo(before);
    }

    @Test
    void shouldRefuseTheInlineVersionAfterTheMostASpaceMayHoldChangingNothing() {
        driver.accept(alice, new Command.CreateSpace("notes", false));
        for (int v = 0; v < MAX_VERSIONS; v++) {
            driver.accept(alice, Command.CommitSpace.inline("notes", v, 1, base64("m" + v), null));
        }
        String before = state.digest();
        assertRefused(driver.submit(alice, Command.CommitSpace.inline("notes", MAX_VERSIONS, 1, base64("x"), null)),
                "INLINE_VERSIONS_FULL", "holds 64 inline versions");
        assertThat(state.digest()).isEqualTo(before);
        assertThat(state.spaceHead(address(alice), "notes", 0).orElseThrow().inline()).hasSize(MAX_VERSIONS);
        // a fold of the first half makes room again
        String manifest = certifiedBlob(1);
        driver.accept(alice, Command.CommitSpace.fold("notes", MAX_VERSIONS / 2, manifest, 1));
        driver.accept(alice, Command.CommitSpace.inline("notes", MAX_VERSIONS, 1, base64("x"), null));
        assertThat(state.spaceHead(address(alice), "notes", 0).orElseThrow().inline()).hasSize(MAX_VERSIONS / 2 + 1);
    }

    @Test
    void shouldRefuseAnInlineVersionThatWouldPassTheSpacesBytesChangingNothing() {
        driver.accept(alice, new Command.CreateSpace("notes", true));
        int inline = Command.CommitSpace.MAX_INLINE_BYTES;
        int keys = Command.CommitSpace.MAX_INLINE_KEY_BYTES;
        int perVersion = inline + keys;
        int fit = Command.CommitSpace.MAX_INLINE_TOTAL_BYTES / perVersion; // 12 of 40 KiB in 512 KiB
        for (int v = 0; v < fit; v++) {
            driver.accept(alice, Command.CommitSpace.inline("notes", v, 1, base64(new byte[inline]),
                    base64(new byte[keys])));
        }
        int left = Command.CommitSpace.MAX_INLINE_TOTAL_BYTES - fit * perVersion;
        String before = state.digest();
        assertRefused(driver.submit(alice, Command.CommitSpace.inline("notes", fit, 1, base64(new byte[left - 9]),
                base64(new byte[10]))), "INLINE_VERSIONS_FULL", "32769 more would pass the 524288");
        assertThat(state.digest()).isEqualTo(before);
        // exactly up to the limit is fine; then a one-byte version is too much
        driver.accept(alice, Command.CommitSpace.inline("notes", fit, 1, base64(new byte[left - 10]),
                base64(new byte[10])));
        assertRefused(driver.submit(alice, Command.CommitSpace.inline("notes", fit + 1, 1, base64("z"), null)),
                "INLINE_VERSIONS_FULL", "fold them");
        // a blob commit drops every inline version, and their bytes with them
        driver.accept(alice, new Command.CommitSpace("notes", fit + 1, certifiedBlob(2), 1));
        driver.accept(alice, Command.CommitSpace.inline("notes", fit + 2, 1, base64(new byte[inline]),
                base64(new byte[keys])));
    }

    @Test
    void shouldRefuseMalformedCommitsWithInvalidArgument() {
        driver.accept(alice, new Command.CreateSpace("notes", false));
        String manifest = certifiedBlob(1);
        String tooBig = base64(new byte[Command.CommitSpace.MAX_INLINE_BYTES + 1]);
        String keysTooBig = base64(new byte[Command.CommitSpace.MAX_INLINE_KEY_BYTES + 1]);
        String before = state.digest();
        Object[][] cases = {
                {new Command.CommitSpace("notes", 0, manifest, 1, base64("x"), null, false), "exactly one"},
                {new Command.CommitSpace("notes", 0, null, 1, null, null, false), "got neither"},
                {new Command.CommitSpace("notes", 0, manifest, 1, null, base64("k"), false), "only with inline"},
                {new Command.CommitSpace("notes", 0, null, 1, base64("x"), null, true), "manifestBlobId is missing"},
                {new Command.CommitSpace("notes", 0, null, 1, null, null, true), "got neither"},
                {Command.CommitSpace.inline("notes", 0, 1, "not base64!", null), "not standard padded base64"},
                {Command.CommitSpace.inline("notes", 0, 1, "eA", null), "not a multiple of 4"},
                {Command.CommitSpace.inline("notes", 0, 1, base64("x"), "@@@@"), "inlineKeys is not standard"},
                {Command.CommitSpace.inline("notes", 0, 1, "", null), "inline is empty"},
                {Command.CommitSpace.inline("notes", 0, 1, tooBig, null), "more than the 32768"},
                {Command.CommitSpace.inline("notes", 0, 1, tooBig + "AAAA", null), "base64 characters"},
                {Command.CommitSpace.inline("notes", 0, 1, base64("x"), keysTooBig), "more than the 8192"},
                {Command.CommitSpace.fold("notes", 0, "not-a-blob-id", 1), "is not a blob ID"},
        };
        for (Object[] c : cases) {
            assertRefused(driver.submit(alice, (Command) c[0]), "INVALID_ARGUMENT", (String) c[1]);
        }
        assertThat(state.digest()).isEqualTo(before);
        assertThat(state.spaceHead(address(alice), "notes").orElseThrow().version()).isZero();
    }

    @Test
    void shouldFoldAMiddleVersionKeepingTheLaterOnes() {
        driver.accept(alice, new Command.CreateSpace("notes", false));
        String m1 = certifiedBlob(1);
        driver.accept(alice, new Command.CommitSpace("notes", 0, m1, 100));
        for (int v = 1; v <= 4; v++) { // version k is committed at 100 + k
            driver.accept(alice, Command.CommitSpace.inline("notes", v, 100 + v + 1, base64("v" + (v + 1)), null));
        }
        String m3 = certifiedBlob(2);
        var folded = driver.accept(alice, Command.CommitSpace.fold("notes", 3, m3, 103));
        assertThat(folded.events()).singleElement().isEqualTo(new Event.SpaceFolded(
                ((Event.SpaceFolded) folded.events().getFirst()).cursor(), state.epoch(), address(alice), "notes", 3, m3));

        SpaceHead head = state.spaceHead(address(alice), "notes", 0).orElseThrow();
        assertThat(head.version()).as("a fold makes no version").isEqualTo(5);
        assertThat(head.commitTimeMillis()).isEqualTo(105);
        assertThat(head.manifestVersion()).isEqualTo(3);
        assertThat(head.manifestBlobId()).isEqualTo(m3);
        assertThat(head.inline()).extracting(SpaceHead.InlineVersion::version).containsExactly(4L, 5L);
        assertThat(head.inline().getFirst().inline()).isEqualTo(base64("v4"));

        // an inline commit now names the fold's manifest as the head's
        var next = driver.accept(alice, Command.CommitSpace.inline("notes", 5, 106, base64("v6"), null));
        assertThat(((Event.SpaceCommitted) next.events().getFirst()).manifestBlobId()).isEqualTo(m3);
    }

    @Test
    void shouldRefuseFoldsOfVersionsNotHeldUncertifiedManifestsAndOtherTimes() {
        driver.accept(alice, new Command.CreateSpace("notes", false));
        for (int v = 0; v < 3; v++) {
            driver.accept(alice, Command.CommitSpace.inline("notes", v, 10 * (v + 1), base64("v" + v), null));
        }
        String m2 = certifiedBlob(1);
        driver.accept(alice, Command.CommitSpace.fold("notes", 2, m2, 20));
        String m3 = certifiedBlob(2);
        driver.accept(alice, TestNetwork.registerBlob(9, 1000, 2, false));
        String uncertified = TestNetwork.blobId(9, 1000).toString();
        String before = state.digest();
        assertRefused(driver.submit(alice, Command.CommitSpace.fold("notes", 2, m3, 20)), "VERSION_CONFLICT",
                "folded already");
        assertRefused(driver.submit(alice, Command.CommitSpace.fold("notes", 1, m3, 10)), "VERSION_CONFLICT",
                "folded already");
        assertRefused(driver.submit(alice, Command.CommitSpace.fold("notes", 4, m3, 40)), "VERSION_CONFLICT",
                "no version 4 yet");
        assertRefused(driver.submit(alice, Command.CommitSpace.fold("notes", 3, uncertified, 30)),
                "ILLEGAL_TRANSITION", "not certified");
        assertRefused(driver.submit(alice, Command.CommitSpace.fold("notes", 3, m3, 31)), "INVALID_ARGUMENT",
                "not the commit time of version 3, 30");
        assertRefused(driver.submit(bob, Command.CommitSpace.fold("notes", 3, m3, 30)), "NOT_FOUND", "no space");
        assertThat(state.digest()).isEqualTo(before);
        driver.accept(alice, Command.CommitSpace.fold("notes", 3, m3, 30));
        SpaceHead head = state.spaceHead(address(alice), "notes", 0).orElseThrow();
        assertThat(head.manifestVersion()).isEqualTo(3).isEqualTo(head.version());
        assertThat(head.inline()).isEmpty();
    }

    @Test
    void shouldDropInlineVersionsOnABlobCommit() {
        driver.accept(alice, new Command.CreateSpace("notes", false));
        driver.accept(alice, new Command.CreateSpace("other", false));
        driver.accept(alice, Command.CommitSpace.inline("notes", 0, 1, base64("a"), null));
        driver.accept(alice, Command.CommitSpace.inline("notes", 1, 2, base64("b"), null));
        driver.accept(alice, Command.CommitSpace.inline("other", 0, 2, base64("c"), null));
        String manifest = certifiedBlob(1);
        var committed = driver.accept(alice, new Command.CommitSpace("notes", 2, manifest, 3));
        assertThat(committed.events()).singleElement().isInstanceOfSatisfying(Event.SpaceCommitted.class, e -> {
            assertThat(e.inline()).isFalse();
            assertThat(e.version()).isEqualTo(3);
        });
        SpaceHead head = state.spaceHead(address(alice), "notes", 0).orElseThrow();
        assertThat(head.version()).isEqualTo(3);
        assertThat(head.manifestVersion()).isEqualTo(3);
        assertThat(head.inline()).isEmpty();
        assertThat(state.spaceHead(address(alice), "other", 0).orElseThrow().inline())
                .as("another space's inline versions stay").hasSize(1);
        // the dropped versions are gone from the table, not only hidden: the next inline version comes alone
        driver.accept(alice, Command.CommitSpace.inline("notes", 3, 4, base64("d"), null));
        assertThat(state.spaceHead(address(alice), "notes", 0).orElseThrow().inline())
                .extracting(SpaceHead.InlineVersion::version).containsExactly(4L);
    }

    @Test
    void shouldKeepInlineVersionsInCheckpoints() {
        driver.accept(alice, new Command.CreateSpace("notes", true));
        driver.accept(alice, new Command.CreateSpace("notes2", true)); // a name the first is a prefix of
        driver.accept(alice, Command.CommitSpace.inline("notes", 0, 7, base64("a"), base64("ka")));
        driver.accept(alice, Command.CommitSpace.inline("notes", 1, 8, base64("b"), null));
        driver.accept(alice, Command.CommitSpace.inline("notes2", 0, 8, base64("c"), null));
        String manifest = certifiedBlob(1);
        ControlState copy = states.copyOf(state);
        assertThat(copy.digest()).isEqualTo(state.digest());
        assertThat(copy.spaceHead(address(alice), "notes", 0)).isEqualTo(state.spaceHead(address(alice), "notes", 0));
        assertThat(copy.spaceHead(address(alice), "notes", 0).orElseThrow().inline())
                .extracting(SpaceHead.InlineVersion::inline).containsExactly(base64("a"), base64("b"));
        assertThat(copy.spaceHead(address(alice), "notes", 0).orElseThrow().inline().getFirst().inlineKeys())
                .isEqualTo(base64("ka"));
        // the copy goes on like the original: the same fold, then the same refusal of it again, on both
        var fold = net.sign(alice, driver.nonce(alice), Command.CommitSpace.fold("notes", 1, manifest, 7));
        long index = driver.nextIndex;
        assertThat(state.apply(fold, index)).isEqualTo(copy.apply(fold, index));
        var again = net.sign(alice, driver.nonce(alice), Command.CommitSpace.fold("notes", 1, manifest, 7));
        assertThat(state.apply(again, index + 1)).isEqualTo(copy.apply(again, index + 1))
                .isInstanceOf(CommandResult.Refused.class);
        assertThat(copy.digest()).isEqualTo(state.digest());
        assertThat(copy.spaceHead(address(alice), "notes", 0).orElseThrow().inline())
                .extracting(SpaceHead.InlineVersion::version).containsExactly(2L);
        assertThat(copy.spaceHead(address(alice), "notes2", 0).orElseThrow().inline())
                .extracting(SpaceHead.InlineVersion::inline).containsExactly(base64("c"));
    }

    @Test
    void shouldOpenHeadsWrittenInTheLayoutBeforeInlineVersions() throws Exception {
        Path where = states.newDirectory();
        String manifest;
        try (ControlState old = ControlState.open(where, net.genesis)) {
            StateDriver d = new StateDriver(old);
            d.accept(alice, new Command.Faucet(funds()));
            d.accept(alice, new Command.CreateSpace("empty", true));
            d.accept(alice, new Command.CreateSpace("notes", false));
            manifest = certifiedBlob(d, old, 1);
            d.accept(alice, new Command.CommitSpace("notes", 0, manifest, 77));
        }
        // rewrite both heads as a Tusk before inline versions wrote them (layout 1)
        byte[] owner = StateCodec.ID.encode(address(alice));
        try (StateStore store = StateStore.open(where, StateOptions.defaults());
             StateBatch batch = new StateBatch(store)) {
            batch.put(spacesKey(owner, "empty"), ByteBuffer.allocate(21).put((byte) 1).putLong(0).putLong(0).putInt(1)
                    .array());
            batch.put(spacesKey(owner, "notes"), ByteBuffer.allocate(53).put((byte) 0).putLong(1).putLong(77).putInt(1)
                    .put(BlobId.parse(manifest).bytes()).array());
            batch.commit();
        }
        ControlState reopened = states.open(where, null, StateOptions.defaults());
        SpaceHead empty = reopened.spaceHead(address(alice), "empty", 0).orElseThrow();
        assertThat(empty).isEqualTo(new SpaceHead(address(alice), "empty", true, 0, null, 0, 1, 0, null));
        SpaceHead notes = reopened.spaceHead(address(alice), "notes", 0).orElseThrow();
        assertThat(notes).isEqualTo(new SpaceHead(address(alice), "notes", false, 1, manifest, 77, 1, 1, null));
        // and goes on in the new layout
        StateDriver d = new StateDriver(reopened);
        d.nextIndex = reopened.lastAppliedIndex() + 1;
        d.accept(alice, Command.CommitSpace.inline("notes", 1, 78, base64("n"), null));
        SpaceHead after = reopened.spaceHead(address(alice), "notes", 0).orElseThrow();
        assertThat(after.version()).isEqualTo(2);
        assertThat(after.manifestVersion()).isEqualTo(1);
        assertThat(after.manifestBlobId()).isEqualTo(manifest);
        assertThat(after.inline()).extracting(SpaceHead.InlineVersion::version).containsExactly(2L);
    }

    private static byte[] spacesKey(byte[] owner, String name) {
        return StateCodec.concat("spaces/".getBytes(StandardCharsets.US_ASCII), owner,
                name.getBytes(StandardCharsets.US_ASCII));
    }

    private String certifiedBlob(int seed) {
        return certifiedBlob(driver, state, seed);
    }

    private String certifiedBlob(StateDriver d, ControlState s, int seed) {
        var registered = d.accept(alice, TestNetwork.registerBlob(seed, 1000, 2, false));
        String objectId = ((Event.BlobRegistered) registered.events().getFirst()).objectId();
        StorageConfirmation confirmation = new StorageConfirmation(s.epoch(), TestNetwork.blobId(seed, 1000),
                BlobPersistence.PERMANENT);
        d.accept(alice, new Command.CertifyBlob(objectId, net.fullCertificate(s.committee(), confirmation)));
        return TestNetwork.blobId(seed, 1000).toString();
    }

    private static String base64(String text) {
        return base64(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static void assertRefused(CommandResult result, String reason, String text) {
        assertThat(result).isInstanceOf(CommandResult.Refused.class);
        CommandResult.Refused refused = (CommandResult.Refused) result;
        assertThat(refused.reason().reason()).as(refused.message()).isEqualTo(reason);
        assertThat(refused.message()).contains(text);
    }
}
