package io.tusk.spaces;

import io.tusk.client.TuskClient;
import io.tusk.control.api.SpaceHead;
import io.tusk.testkit.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spaces on a real in-process cluster (4 nodes, 16 shards): writes, reads, listings, history, time travel. */
class SpaceBasicsTest {
    static TestCluster cluster;
    static Spaces spaces;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(4, 16);
        spaces = new Spaces(cluster.client(), SpacesOptions.defaults().withSmallEntryMaxBytes(4096).withEpochs(3));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPutGetListAndDelete() {
        Space space = spaces.create("basics", false);
        assertThat(space.head().version()).isZero();
        assertThat(space.snapshot().entryCount()).isZero();
        CommitResult first = space.put("notes/a.txt", utf8("alpha"), PutOptions.defaults().withContentType("text/plain")
                .withMetadata(Map.of("lang", "en")));
        assertThat(first.version()).isEqualTo(1);
        space.put("notes/b.txt", utf8("beta"));
        space.put("zeta", new byte[0]);
        Snapshot head = space.snapshot();
        assertThat(head.version()).isEqualTo(3);
        assertThat(head.entryCount()).isEqualTo(3);
        assertThat(head.read("notes/a.txt")).isEqualTo(utf8("alpha"));
        assertThat(head.read("zeta")).isEmpty();
        Entry a = head.entry("notes/a.txt").orElseThrow();
        assertThat(a.contentType()).isEqualTo("text/plain");
        assertThat(a.metadata()).containsEntry("lang", "en");
        assertThat(a.size()).isEqualTo(5);
        assertThat(a.version()).isEqualTo(1);
        assertThat(head.list(ListQuery.prefix("notes/")).entries()).extracting(Entry::key)
                .containsExactly("notes/a.txt", "notes/b.txt");
        ListPage rolled = head.list(ListQuery.all().withDelimiter("/"));
        assertThat(rolled.commonPrefixes()).containsExactly("notes/");
        assertThat(rolled.entries()).extracting(Entry::key).containsExactly("zeta");

        assertThat(space.delete("notes/a.txt").version()).isEqualTo(4);
        assertThat(space.delete("no-such-key").changed()).isZero(); // nothing to delete: no version made
        assertThat(space.snapshot().entry("notes/a.txt")).isEmpty();
        assertThatThrownBy(() -> space.snapshot().read("notes/a.txt")).isInstanceOf(EntryNotFoundException.class);
        // the old version still has it
        assertThat(space.at(3).read("notes/a.txt")).isEqualTo(utf8("alpha"));
        assertThat(spaces.list()).extracting(SpaceHead::name).contains("basics");
    }

    @Test
    void shouldCommitManyEntriesAtOnceAndPageThroughThem() {
        Space space = spaces.create("many", false);
        Random random = new Random(cluster.testSeed());
        List<String> keys = new ArrayList<>();
        CommitResult result = space.commit(tx -> {
            for (int i = 0; i < 600; i++) {
                String key = String.format("dir%d/item-%04d", i % 3, i);
                byte[] data = new byte[random.nextInt(300)];
                random.nextBytes(data);
                tx.put(key, data);
                keys.add(key);
            }
        });
        assertThat(result.changed()).isEqualTo(600);
        Snapshot head = space.snapshot();
        assertThat(head.entryCount()).isEqualTo(600);
        List<String> listed = new ArrayList<>();
        String after = null;
        do {
            ListPage page = head.list(ListQuery.prefix("dir1/").withLimit(37).withStartAfter(after));
            page.entries().forEach(e -> listed.add(e.key()));
            after = page.nextStartAfter();
        } while (after != null);
        assertThat(listed).containsExactlyElementsOf(keys.stream().filter(k -> k.startsWith("dir1/")).sorted().toList());
        ListPage prefixes = head.list(ListQuery.all().withDelimiter("/").withLimit(2));
        assertThat(prefixes.commonPrefixes()).containsExactly("dir0/", "dir1/");
        assertThat(head.list(ListQuery.all().withDelimiter("/").withStartAfter(prefixes.nextStartAfter())).commonPrefixes())
                .containsExactly("dir2/");
        // a second commit of a few changes shares the rest of the tree
        space.commit(tx -> tx.put("dir0/item-0000", utf8("changed")).delete("dir2/item-0599"));
        List<Change> diff = space.diff(1, 2);
        assertThat(diff).extracting(Change::key, Change::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dir0/item-0000", Change.Kind.CHANGED),
                org.assertj.core.groups.Tuple.tuple("dir2/item-0599", Change.Kind.REMOVED));
        assertThat(space.snapshot().read("dir0/item-0000")).isEqualTo(utf8("changed"));
    }

    @Test
    void shouldTravelInTimeByVersionAndByTime() throws Exception {
        Space space = spaces.create("travel", false);
        List<Instant> times = new ArrayList<>();
        for (int v = 1; v <= 9; v++) {
            int n = v;
            times.add(space.commit(tx -> tx.put("counter", utf8("v" + n))).commitTime());
            Thread.sleep(3);
        }
        for (int v = 1; v <= 9; v++) {
            assertThat(space.at(v).read("counter")).isEqualTo(utf8("v" + v));
            assertThat(space.at(times.get(v - 1)).version()).isEqualTo(v);
        }
        assertThat(space.at(0).entryCount()).isZero();
        assertThat(space.at(times.getFirst().minusMillis(1)).version()).isZero();
        assertThatThrownBy(() -> space.at(10)).isInstanceOf(SpaceException.class).hasMessageContaining("no version 10");
        List<VersionInfo> history = space.history(Long.MAX_VALUE, 100);
        assertThat(history).extracting(VersionInfo::version).containsExactly(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
        assertThat(history.getFirst().changedKeys()).containsExactly("counter");
    }

    @Test
    void shouldStoreLargeEntriesAsTheirOwnBlobsAndReadRanges() throws Exception {
        Space space = spaces.create("large", false);
        byte[] big = cluster.randomBlob(300_000);
        space.put("big.bin", big);
        Snapshot head = space.snapshot();
        assertThat(head.read("big.bin")).isEqualTo(big);
        ByteArrayOutputStream range = new ByteArrayOutputStream();
        head.readRange("big.bin", 1000, 5000, range);
        assertThat(range.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(big, 1000, 6000));
    }

    @Test
    void shouldTagAndRestore() {
        Space space = spaces.create("tags", false);
        space.put("a", utf8("1"));
        space.put("b", utf8("2"));
        space.tag("release", 1);
        space.delete("a");
        assertThat(space.tags()).containsEntry("release", 1L);
        CommitResult restored = space.restore(space.tags().get("release"));
        Snapshot head = space.snapshot();
        assertThat(head.version()).isEqualTo(restored.version());
        assertThat(head.read("a")).isEqualTo(utf8("1"));
        assertThat(head.entry("b")).isEmpty();
    }

    @Test
    void shouldCheckConditionsAndRefuseBadInput() {
        Space space = spaces.create("conditions", false);
        space.put("k", utf8("one"), PutOptions.defaults().withCondition(Condition.ifAbsent()));
        assertThatThrownBy(() -> space.put("k", utf8("two"), PutOptions.defaults().withCondition(Condition.ifAbsent())))
                .isInstanceOf(PreconditionFailedException.class);
        String etag = space.snapshot().entry("k").orElseThrow().etag();
        space.put("k", utf8("two"), PutOptions.defaults().withCondition(Condition.ifMatch(etag)));
        assertThatThrownBy(() -> space.put("k", utf8("three"), PutOptions.defaults().withCondition(Condition.ifMatch(etag))))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(space.head().version()).isEqualTo(2);
        assertThatThrownBy(() -> space.put("", utf8("x"))).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> space.put("bad\uD800", utf8("x"))).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> space.put("x".repeat(1025), utf8("x"))).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> space.commit(tx -> tx.put("k", utf8("stale")), CommitOptions.defaults().expecting(1)))
                .isInstanceOf(VersionConflictException.class).hasMessageContaining("at version 2, not 1");
        assertThat(space.snapshot().read("k")).isEqualTo(utf8("two"));
        assertThatThrownBy(() -> spaces.create("conditions", false)).isInstanceOf(SpaceExistsException.class);
        assertThatThrownBy(() -> spaces.open("nope")).isInstanceOf(SpaceNotFoundException.class);
        assertThat(space.head().version()).isEqualTo(2);
    }

    @Test
    void shouldEncryptAndForget() {
        Space space = spaces.create("secret", true);
        space.put("diary", utf8("dear diary"));
        space.put("other", utf8("keep me"));
        assertThat(space.snapshot().read("diary")).isEqualTo(utf8("dear diary"));
        space.forget("diary");
        assertThat(space.snapshot().entry("diary")).isEmpty();
        assertThatThrownBy(() -> space.at(2).read("diary")).isInstanceOf(SpaceKeyException.class)
                .hasMessageContaining("forgotten");
        assertThat(space.at(2).read("other")).isEqualTo(utf8("keep me"));
        space.rotateKey();
        space.put("after-rotation", utf8("new key"));
        assertThat(space.snapshot().read("after-rotation")).isEqualTo(utf8("new key"));
        assertThat(space.snapshot().read("other")).isEqualTo(utf8("keep me"));
    }

    @Test
    void shouldKeepForeignAccountsReadOnly() throws Exception {
        Space space = spaces.create("public", false);
        space.put("hello", utf8("world"));
        io.tusk.core.crypto.Ed25519KeyPair other = io.tusk.core.crypto.Ed25519KeyPair.generate(new java.security.SecureRandom());
        try (TuskClient client = new TuskClient(io.tusk.client.ClientConfig.of(cluster.local().controlUrl(), other))) {
            client.submit(new io.tusk.control.api.Command.Faucet(1_000_000_000L));
            Spaces theirs = new Spaces(client);
            Space seen = theirs.open(spaces.account(), "public");
            assertThat(seen.snapshot().read("hello")).isEqualTo(utf8("world"));
            assertThatThrownBy(() -> seen.put("hello", utf8("mine"))).isInstanceOf(NotOwnerException.class);
            Space secret = spaces.create("secret2", true);
            secret.put("pin", utf8("1234"));
            assertThatThrownBy(() -> theirs.open(spaces.account(), "secret2").snapshot().read("pin"))
                    .isInstanceOf(SpaceKeyException.class);
            // Without the owner key, verify still checks the chain and every manifest, not the sealed trees.
            VerifyReport report = theirs.open(spaces.account(), "secret2").verify();
            assertThat(report.ok()).isTrue();
            assertThat(report.treesChecked()).isFalse();
            assertThat(report.versionsChecked()).isEqualTo(1);
        }
        assertThat(space.head().version()).isEqualTo(1);
    }
}
