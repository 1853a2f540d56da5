package io.tusk.spaces;

import io.tusk.client.TuskClient;
import io.tusk.control.api.SpaceHead;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Inline versions (docs/spaces.md, "Inline versions") on a real in-process cluster: small commits held by the control
 * plane, read by any client by rebuilding them on the manifest before them, folded into manifest blobs in place, in
 * the background and before any commit that stores blobs, with every version readable and verifiable throughout.
 */
class InlineVersionsTest extends SpacesOnClusterTest {
    private static final CommitOptions INLINE = CommitOptions.defaults().inlineWhenSmall();

    private static CommitResult putInline(Space space, String key, String value) {
        return space.commit(tx -> tx.put(key, utf8(value)), INLINE);
    }

    /** What each version holds, key to value, read through {@code space}. */
    private static Map<String, String> contents(Snapshot at) {
        Map<String, String> out = new TreeMap<>();
        for (Entry e : at.entries("")) {
            out.put(e.key(), new String(at.read(e.key()), StandardCharsets.UTF_8));
        }
        return out;
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void shouldHoldSmallCommitsInlineAndReadEveryVersionFromAnotherClient(boolean encrypted) throws Exception {
        String name = "inline-read-" + encrypted;
        Space space = spaces.create(name, encrypted);
        space.put("base", utf8("manifest version"));
        List<Map<String, String>> expected = new ArrayList<>();
        expected.add(Map.of()); // version 0
        expected.add(Map.of("base", "manifest version"));
        Map<String, String> now = new TreeMap<>(expected.get(1));
        List<Instant> times = new ArrayList<>(List.of(Instant.EPOCH, space.snapshot().commitTime()));
        for (int i = 0; i < 6; i++) {
            CommitResult r = i == 3 ? space.commit(tx -> tx.delete("k1"), INLINE) : putInline(space, "k" + i, "v" + i);
            assertThat(r.manifestBlobId()).as("an inline version has no manifest blob").isNull();
            assertThat(r.version()).isEqualTo(i + 2);
            if (i == 3) {
                now.remove("k1");
            } else {
                now.put("k" + i, "v" + i);
            }
            expected.add(new TreeMap<>(now));
            times.add(r.commitTime());
        }
        SpaceHead head = space.head();
        assertThat(head.version()).isEqualTo(7);
        assertThat(head.manifestVersion()).isEqualTo(1);

        try (TuskClient other = cluster.newClient()) {
            Space reader = new Spaces(other).open(name);
            assertThat(contents(reader.snapshot())).isEqualTo(expected.get(7));
            for (int v = 0; v <= 7; v++) {
                assertThat(contents(reader.at(v))).as("version %d", v).isEqualTo(expected.get(v));
                assertThat(reader.at(v).isInline()).isEqualTo(v >= 2);
            }
            assertThat(reader.at(times.get(4)).version()).isEqualTo(4);
            assertThat(reader.at(times.get(4).minusMillis(1)).version()).isLessThan(4);
            assertThat(reader.diff(4, 5)).extracting(Change::key).containsExactly("k1");
            List<VersionInfo> history = reader.history(Long.MAX_VALUE, 100);
            assertThat(history).extracting(VersionInfo::version).containsExactly(7L, 6L, 5L, 4L, 3L, 2L, 1L);
            assertThat(history.get(0).manifestBlobId()).isNull();
            assertThat(history.get(2).deletes()).isEqualTo(1);
            assertThat(history.get(2).changedKeys()).containsExactly("k1");
            VerifyReport report = reader.verify();
            assertThat(report.firstBreak()).isNull();
            assertThat(report.versionsChecked()).isEqualTo(7);
        }
    }

    @Test
    void shouldFoldInPlaceKeepingEveryVersionAndItsHistory() {
        for (boolean encrypted : new boolean[]{false, true}) {
            Space space = spaces.create("inline-fold-" + encrypted, encrypted);
            space.put("a", utf8("1"));
            putInline(space, "b", "2");
            putInline(space, "a", "3");
            putInline(space, "c", "4");
            List<Map<String, String>> before = new ArrayList<>();
            for (int v = 0; v <= 4; v++) {
                before.add(contents(space.at(v)));
            }
            List<VersionInfo> historyBefore = space.history(Long.MAX_VALUE, 100);

            space.fold();
            SpaceHead head = space.head();
            assertThat(head.version()).as("a fold makes no version").isEqualTo(4);
            assertThat(head.manifestVersion()).isEqualTo(4);
            assertThat(space.snapshot().isInline()).isFalse();
            assertThat(space.snapshot().manifestBlobId()).isEqualTo(head.manifestBlobId());
            for (int v = 0; v <= 4; v++) {
                assertThat(contents(space.at(v))).as("version %d after the fold", v).isEqualTo(before.get(v));
            }
            assertThat(space.history(Long.MAX_VALUE, 100)).extracting(VersionInfo::version, VersionInfo::changedKeys)
                    .isEqualTo(historyBefore.stream().map(i -> org.assertj.core.groups.Tuple.tuple(i.version(),
                            i.changedKeys())).toList());
            assertThat(space.blobsWrittenBy(4)).as("the fold's pack" + (encrypted ? " and key blob" : ""))
                    .hasSize(encrypted ? 2 : 1);
            VerifyReport report = space.verify();
            assertThat(report.firstBreak()).isNull();
            assertThat(report.versionsChecked()).isEqualTo(4);

            space.fold(); // nothing left to fold: nothing happens
            assertThat(space.head().manifestBlobId()).isEqualTo(head.manifestBlobId());
            putInline(space, "d", "5"); // inline again, now on the folded manifest
            assertThat(contents(space.snapshot())).containsEntry("d", "5").containsEntry("a", "3");
            assertThat(space.verify().firstBreak()).isNull();
        }
    }

    @Test
    void shouldFoldFirstWhenACommitStoresBlobs() {
        Space space = spaces.create("inline-then-blob", true);
        space.put("a", utf8("1"));
        putInline(space, "b", "2");
        putInline(space, "c", "3");
        CommitResult tagged = space.tag("release", 3);
        assertThat(tagged.version()).isEqualTo(4);
        assertThat(tagged.manifestBlobId()).isNotNull();
        SpaceHead head = space.head();
        assertThat(head.manifestVersion()).isEqualTo(4);
        assertThat(contents(space.at(2))).isEqualTo(Map.of("a", "1", "b", "2"));
        assertThat(contents(space.at(space.tags().get("release")))).containsEntry("c", "3");
        assertThat(space.verify().firstBreak()).isNull();
    }

    @Test
    void shouldForgetAnInlineEntryAndDestroyItsKeyForEveryClient() throws Exception {
        Space space = spaces.create("inline-forget", true);
        space.put("keep", utf8("kept"));
        CommitResult put = putInline(space, "diary", "dear diary");
        assertThat(space.at(put.version()).read("diary")).isEqualTo(utf8("dear diary"));
        space.forget("diary");
        assertThat(space.snapshot().entry("diary")).isEmpty();
        assertThatThrownBy(() -> space.at(put.version()).read("diary")).isInstanceOf(SpaceKeyException.class)
                .hasMessageContaining("forgotten");
        try (TuskClient other = cluster.newClient()) {
            Space reader = new Spaces(other).open("inline-forget");
            assertThatThrownBy(() -> reader.at(put.version()).read("diary")).isInstanceOf(SpaceKeyException.class);
            assertThat(reader.at(put.version()).read("keep")).isEqualTo(utf8("kept"));
        }
        assertThat(space.verify().firstBreak()).isNull();
    }

    @Test
    void shouldFoldInTheBackgroundSoWritersNeverMeetAFullTail() {
        Space space = spaces.create("inline-many", false);
        space.put("start", utf8("0"));
        int commits = 3 * io.tusk.control.api.Command.CommitSpace.MAX_INLINE_VERSIONS / 2;
        for (int i = 0; i < commits; i++) {
            putInline(space, String.format("m%03d", i), "memory " + i);
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> space.head().inlineCount() < Committer.FOLD_AT_VERSIONS);
        SpaceHead head = space.head();
        assertThat(head.version()).isEqualTo(commits + 1);
        assertThat(head.manifestVersion()).isGreaterThan(1);
        Snapshot at = space.snapshot();
        assertThat(at.entryCount()).isEqualTo(commits + 1);
        assertThat(at.read("m000")).isEqualTo(utf8("memory 0"));
        assertThat(contents(space.at(10))).hasSize(10);
        VerifyReport report = space.verify();
        assertThat(report.firstBreak()).isNull();
        assertThat(report.versionsChecked()).isEqualTo(commits + 1);
    }

    @Test
    void shouldFoldInTheForegroundOnceTheTailIsFullAndBackgroundFoldsFailed() {
        Space space = spaces.create("inline-full", false);
        space.put("start", utf8("0"));
        int limit = io.tusk.control.api.Command.CommitSpace.MAX_INLINE_VERSIONS;
        io.tusk.core.failpoint.FailPoints.armError(Committer.FOLD);
        try {
            for (int i = 0; i < limit; i++) {
                putInline(space, String.format("m%03d", i), "memory " + i);
            }
            assertThat(space.head().inlineCount()).as("every background fold failed").isEqualTo(limit);
            assertThat(io.tusk.core.failpoint.FailPoints.hits(Committer.FOLD)).isPositive();
            assertThatThrownBy(() -> putInline(space, "one-more", "x"))
                    .hasMessageContaining(Committer.FOLD); // it must fold first, and that fails too
            assertThat(space.head().version()).isEqualTo(limit + 1);
        } finally {
            io.tusk.core.failpoint.FailPoints.disarmAll();
        }
        CommitResult next = putInline(space, "one-more", "x");
        assertThat(next.version()).isEqualTo(limit + 2);
        SpaceHead head = space.head();
        assertThat(head.manifestVersion()).as("folded up to the full tail's last version").isEqualTo(limit + 1);
        assertThat(head.inlineCount()).isEqualTo(1);
        assertThat(space.snapshot().entryCount()).isEqualTo(limit + 2);
        assertThat(space.verify().firstBreak()).isNull();
    }

    @Test
    void shouldVerifyTheChainOfInlineVersionsWithoutTheOwnerKey() throws Exception {
        Space space = spaces.create("inline-sealed", true);
        space.put("a", utf8("1"));
        putInline(space, "b", "2");
        putInline(space, "c", "3");
        io.tusk.core.crypto.Ed25519KeyPair other = io.tusk.core.crypto.Ed25519KeyPair.generate(new java.security.SecureRandom());
        try (TuskClient client = new TuskClient(io.tusk.client.ClientConfig.of(cluster.local().controlUrl(), other))) {
            Space seen = new Spaces(client).open(spaces.account(), "inline-sealed");
            assertThatThrownBy(() -> seen.snapshot().read("b")).isInstanceOf(SpaceKeyException.class);
            VerifyReport report = seen.verify();
            assertThat(report.firstBreak()).isNull();
            assertThat(report.treesChecked()).isFalse();
            assertThat(report.versionsChecked()).isEqualTo(3);
        }
    }

    @Test
    void shouldLetConcurrentInlineWritersEachLandEveryChange() throws Exception {
        spaces.create("inline-race", false).put("counter", utf8("0"));
        int writers = 3;
        int each = 5;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            futures.add(pool.submit(() -> {
                try (TuskClient client = cluster.newClient()) {
                    Space space = new Spaces(client).open("inline-race");
                    for (int i = 0; i < each; i++) {
                        space.commit(tx -> {
                            long counter = Long.parseLong(new String(tx.base().read("counter"), StandardCharsets.UTF_8));
                            tx.put("counter", utf8(Long.toString(counter + 1)));
                        }, INLINE);
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        Space space = spaces.open("inline-race");
        assertThat(space.snapshot().read("counter")).isEqualTo(utf8(Integer.toString(writers * each)));
        assertThat(space.head().version()).isEqualTo(1 + writers * each);
    }

    @Test
    void shouldStoreBlobsForCommitsTooLargeToHoldInline() {
        Space space = spaces.create("inline-too-large", false);
        space.put("a", utf8("1"));
        CommitResult large = space.commit(tx -> tx.put("big", new byte[40 * 1024]), INLINE);
        assertThat(large.manifestBlobId()).as("40 KiB is beyond an inline version's 32 KiB").isNotNull();
        CommitResult plain = space.commit(tx -> tx.put("b", utf8("2")));
        assertThat(plain.manifestBlobId()).as("inline only when asked").isNotNull();
    }
}
