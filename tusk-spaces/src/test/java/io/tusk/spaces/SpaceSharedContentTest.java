package io.tusk.spaces;

import io.tusk.client.Manifest;
import io.tusk.core.metadata.BlobId;
import io.tusk.testkit.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Content shared by reference within a space (what the S3 API builds on): uploads staged before their commit, copies
 * that store nothing, entries kept as they are under another key, and concatenations of parts that line up as chunks
 * (only a new manifest is stored) or do not (the bytes are copied). Real in-process cluster, 4 nodes, 16 shards.
 */
class SpaceSharedContentTest {
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

    @Test
    void shouldCommitStagedContentByReferenceAndDiscardWhatIsNotCommitted() throws Exception {
        Space space = spaces.create("staged", false);
        byte[] data = cluster.randomBlob(50_000);
        StagedContent staged = space.upload(new ByteArrayInputStream(data), data.length);
        assertThat(staged.length()).isEqualTo(data.length);
        CommitResult put = space.commit(tx -> tx.put("big", staged, PutOptions.defaults().withContentType("x/y")));
        Snapshot head = space.snapshot();
        Entry entry = head.entry("big").orElseThrow();
        assertThat(entry.etag()).isEqualTo(staged.etag());
        assertThat(entry.contentType()).isEqualTo("x/y");
        assertThat(head.read("big")).isEqualTo(data);
        assertThat(space.blobsWrittenBy(put.version())).containsAll(staged.blobIds());

        byte[] other = cluster.randomBlob(30_000);
        StagedContent dropped = space.upload(new ByteArrayInputStream(other), other.length);
        BlobId droppedBlob = BlobId.parse(dropped.blobIds().getFirst());
        assertThat(cluster.client().status(droppedBlob).objects()).isNotEmpty();
        space.discard(dropped);
        assertThat(cluster.client().status(droppedBlob).objects()).isEmpty();

        assertThatThrownBy(() -> space.upload(new ByteArrayInputStream(other), other.length + 1))
                .isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> space.upload(new ByteArrayInputStream(other), other.length - 1))
                .isInstanceOf(SpaceException.class).hasMessageContaining("is not " + (other.length - 1) + " bytes");
    }

    @Test
    void shouldCopyWithoutStoringTheContentAgain() {
        Space space = spaces.create("copies", false);
        byte[] large = cluster.randomBlob(40_000);
        byte[] small = cluster.randomBlob(300);
        space.commit(tx -> tx.put("large", large, PutOptions.defaults().withMetadata(Map.of("a", "1")))
                .put("small", small, PutOptions.defaults()));
        Snapshot v1 = space.snapshot();
        List<String> largeBlobs = space.blobsWrittenBy(v1.version());

        CommitResult copied = space.commit(tx -> tx
                .copy("large-copy", tx.base(), "large", PutOptions.defaults().withMetadata(Map.of("b", "2")))
                .copy("small-copy", tx.base(), "small", PutOptions.defaults().withContentType("text/plain")));
        Snapshot v2 = space.snapshot();
        assertThat(v2.read("large-copy")).isEqualTo(large);
        assertThat(v2.read("small-copy")).isEqualTo(small);
        Entry largeCopy = v2.entry("large-copy").orElseThrow();
        assertThat(largeCopy.etag()).isEqualTo(v1.entry("large").orElseThrow().etag());
        assertThat(largeCopy.version()).isEqualTo(copied.version());
        assertThat(largeCopy.metadata()).isEqualTo(Map.of("b", "2"));
        assertThat(v2.entry("small-copy").orElseThrow().contentType()).isEqualTo("text/plain");
        // the copy stored only its manifest and pack (new tree nodes), none of the large content's blobs
        assertThat(space.blobsWrittenBy(copied.version())).doesNotContainAnyElementsOf(largeBlobs);

        // as is: the old entry, version and metadata included, under another key
        space.put("large", cluster.randomBlob(20_000));
        space.commit(tx -> tx.copyAsIs("archive/large@1", v1, "large"));
        Entry kept = space.snapshot().entry("archive/large@1").orElseThrow();
        assertThat(kept).isEqualTo(new Entry("archive/large@1", large.length, v1.entry("large").orElseThrow().contentType(),
                Map.of("a", "1"), v1.entry("large").orElseThrow().etag(), v1.version(),
                v1.entry("large").orElseThrow().modified(), false));
        assertThat(space.snapshot().read("archive/large@1")).isEqualTo(large);

        long before = space.head().version();
        assertThatThrownBy(() -> space.commit(tx -> tx.copy("x", tx.base(), "no-such-key", PutOptions.defaults())))
                .isInstanceOf(EntryNotFoundException.class).hasMessageContaining("no-such-key");
        assertThat(space.head().version()).isEqualTo(before);

        Space other = spaces.create("copies-elsewhere", false);
        assertThatThrownBy(() -> other.commit(tx -> tx.copy("x", v1, "large", PutOptions.defaults())))
                .isInstanceOf(SpaceException.class).hasMessageContaining("shared only within a space");
        assertThat(space.verify().ok()).isTrue();
    }

    @Test
    void shouldConcatenatePartsThatLineUpByWritingOnlyAManifest() throws Exception {
        Space space = spaces.create("parts", false);
        int chunk = 20_000;
        byte[] p1 = cluster.randomBlob(chunk);
        byte[] p2 = cluster.randomBlob(chunk);
        byte[] p3 = cluster.randomBlob(chunk / 2);
        space.commit(tx -> tx.put("u/1", p1).put("u/2", p2).put("u/3", p3));
        Snapshot parts = space.snapshot();

        StagedContent whole = space.concatenate(parts, List.of("u/1", "u/2", "u/3"));
        byte[] expected = concat(p1, p2, p3);
        assertThat(whole.length()).isEqualTo(expected.length);
        assertThat(whole.blobIds()).hasSize(1); // the new manifest, nothing else
        Manifest manifest = cluster.client().manifest(BlobId.parse(whole.blobIds().getFirst())).orElseThrow();
        assertThat(manifest.chunkSize()).isEqualTo(chunk);
        assertThat(manifest.chunks()).hasSize(3);

        space.commit(tx -> tx.put("object", whole, PutOptions.defaults()).delete("u/1").delete("u/2").delete("u/3"));
        Snapshot head = space.snapshot();
        assertThat(head.read("object")).isEqualTo(expected);
        ByteArrayOutputStream range = new ByteArrayOutputStream();
        head.readRange("object", chunk - 10, 30, range);
        assertThat(range.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(expected, chunk - 10, chunk + 20));
        assertThat(space.verify().ok()).isTrue();
    }

    @Test
    void shouldCopyTheBytesOfPartsThatDoNotLineUp() throws Exception {
        Space space = spaces.create("uneven", false);
        byte[] p1 = cluster.randomBlob(12_000);
        byte[] p2 = cluster.randomBlob(20_000); // longer than the first: not the chunks of one file
        byte[] p3 = cluster.randomBlob(200);    // small: packed in the commit's quilt
        space.commit(tx -> tx.put("p1", p1).put("p2", p2).put("p3", p3));
        StagedContent whole = space.concatenate(space.snapshot(), List.of("p1", "p2", "p3"));
        space.commit(tx -> tx.put("joined", whole, PutOptions.defaults()));
        assertThat(space.snapshot().read("joined")).isEqualTo(concat(p1, p2, p3));

        // a small last part lines up once it is a blob of its own
        byte[] q1 = cluster.randomBlob(10_000);
        byte[] q2 = cluster.randomBlob(10_000);
        byte[] q3 = cluster.randomBlob(100);
        space.commit(tx -> tx.put("q1", q1).put("q2", q2).put("q3", q3));
        StagedContent lined = space.concatenate(space.snapshot(), List.of("q1", "q2", "q3"));
        assertThat(lined.blobIds()).hasSize(2); // the small part as a blob, and the manifest
        space.commit(tx -> tx.put("q", lined, PutOptions.defaults()));
        assertThat(space.snapshot().read("q")).isEqualTo(concat(q1, q2, q3));
        assertThat(space.verify().ok()).isTrue();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
