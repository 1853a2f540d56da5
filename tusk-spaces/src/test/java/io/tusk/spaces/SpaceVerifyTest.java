package io.tusk.spaces;

import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.QuiltPatchId;
import io.tusk.spaces.store.BlobSource;
import io.tusk.spaces.store.ClientBlobSource;
import io.tusk.testkit.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** verify and entry proofs on a real cluster, against sources that serve forged bytes. */
class SpaceVerifyTest {
    static TestCluster cluster;
    static Spaces spaces;
    static Space space;
    static List<CommitResult> commits = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(4, 16);
        spaces = new Spaces(cluster.client(), SpacesOptions.defaults().withSmallEntryMaxBytes(2048));
        space = spaces.create("verified", false);
        commits.add(space.commit(tx -> {
            for (int i = 0; i < 300; i++) {
                tx.put("k/" + i, ("value " + i).getBytes(StandardCharsets.UTF_8));
            }
        }));
        commits.add(space.put("big", cluster.randomBlob(50_000)));
        commits.add(space.commit(tx -> tx.delete("k/7").put("k/8", new byte[]{8})));
        commits.add(space.tag("t", 2));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldVerifyAnHonestChain() {
        VerifyReport report = space.verify();
        assertThat(report.ok()).as(String.valueOf(report.firstBreak())).isTrue();
        assertThat(report.versionsChecked()).isEqualTo(4);
        assertThat(report.entriesChecked()).isGreaterThanOrEqualTo(301);
        assertThat(report.blobsChecked()).isGreaterThanOrEqualTo(4 + 3); // manifests, packs, the big entry
    }

    @Test
    void shouldReportAForgedManifestAtItsVersion() {
        BlobId forged = BlobId.parse(commits.get(1).manifestBlobId());
        VerifyReport report = space.verify(VerifyOptions.defaults().withSource(lying(id -> id.equals(forged))));
        assertThat(report.ok()).isFalse();
        assertThat(report.firstBreak().version()).isEqualTo(2);
        assertThat(report.firstBreak().detail()).contains(forged.toString());
        assertThat(report.versionsChecked()).isEqualTo(2); // versions 4 and 3 were fine
    }

    @Test
    void shouldReportAForgedPackAndAForgedEntryBlob() {
        BlobId pack = space.spaces().manifest(BlobId.parse(commits.getFirst().manifestBlobId())).pack();
        VerifyReport report = space.verify(VerifyOptions.defaults().withSource(lying(id -> id.equals(pack))));
        assertThat(report.ok()).isFalse();
        assertThat(report.firstBreak().detail()).contains(pack.toString());
        BlobId big = BlobId.parse(space.spaces().manifest(BlobId.parse(commits.get(1).manifestBlobId())).writes().stream()
                .filter(w -> w.objectId() != null).findFirst().orElseThrow().blobId().toString());
        VerifyReport entryReport = space.verify(VerifyOptions.defaults().withSource(lying(id -> id.equals(big))));
        assertThat(entryReport.ok()).isFalse();
        assertThat(entryReport.firstBreak().detail()).contains(big.toString());
    }

    @Test
    void shouldProveEntriesAndAbsencesAndRejectForgedProofs() {
        int n = cluster.shardCount();
        EntryProof present = space.prove("k/42");
        assertThat(EntryProofs.check(present, space.head(), n, null)).hasValueSatisfying(e ->
                assertThat(e.size()).isEqualTo("value 42".length()));
        assertThat(EntryProofs.check(space.prove("k/7"), space.head(), n, null)).isEmpty();
        assertThat(EntryProofs.check(space.prove("zzz"), space.head(), n, null)).isEmpty();
        // A forged node on the path, a forged manifest, or a proof for another version: refused.
        if (!present.path().isEmpty()) {
            List<byte[]> path = new ArrayList<>(present.path());
            byte[] node = path.getLast().clone();
            node[node.length - 1] ^= 1;
            path.set(path.size() - 1, node);
            EntryProof forged = new EntryProof(present.owner(), present.name(), present.version(), present.manifestBlobId(),
                    present.manifest(), path, present.key());
            assertThatThrownBy(() -> EntryProofs.check(forged, space.head(), n, null)).isInstanceOf(VerificationException.class);
        }
        byte[] manifest = present.manifest().clone();
        manifest[manifest.length - 3] ^= 1;
        EntryProof forgedManifest = new EntryProof(present.owner(), present.name(), present.version(),
                present.manifestBlobId(), manifest, present.path(), present.key());
        assertThatThrownBy(() -> EntryProofs.check(forgedManifest, space.head(), n, null))
                .isInstanceOf(VerificationException.class).hasMessageContaining("blob ID");
    }

    @Test
    void shouldRefuseForgedManifestsWhenReadingThroughAnUntrustedSource() {
        BlobId forged = BlobId.parse(commits.get(2).manifestBlobId());
        Spaces reader = new Spaces(cluster.client(), SpacesOptions.defaults(), lying(id -> id.equals(forged)));
        Space seen = reader.open(spaces.account(), "verified");
        assertThat(seen.at(2).read("k/1")).isEqualTo("value 1".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> seen.at(3)).isInstanceOf(VerificationException.class);
    }

    /** The honest SDK source, except that the blobs chosen come back with one byte changed, and it owns up to nothing. */
    private static BlobSource lying(Predicate<BlobId> forge) {
        ClientBlobSource honest = new ClientBlobSource(cluster.client());
        return new BlobSource() {
            @Override
            public byte[] blob(BlobId blobId) {
                byte[] bytes = honest.blob(blobId);
                if (forge.test(blobId)) {
                    bytes = bytes.clone();
                    bytes[bytes.length / 2] ^= 0x20;
                }
                return bytes;
            }

            @Override
            public byte[] patch(QuiltPatchId patchId) {
                return io.tusk.core.quilt.QuiltReader.readPatch(new io.tusk.core.encoding.EncodingConfig(cluster.shardCount()),
                        blob(patchId.quiltId()), patchId.startIndex(), patchId.endIndex()).data();
            }

            @Override
            public void stream(BlobId blobId, OutputStream out) throws IOException {
                out.write(blob(blobId));
            }

            @Override
            public void range(BlobId blobId, long start, long length, OutputStream out) throws IOException {
                out.write(blob(blobId), (int) start, (int) length);
            }

            @Override
            public boolean verifies() {
                return false;
            }
        };
    }
}
