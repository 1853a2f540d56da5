package io.tusk.spaces;

import io.tusk.control.api.BlobStatus;
import io.tusk.core.metadata.BlobId;
import io.tusk.testkit.TestCluster;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retention and renewal across epochs on a real in-process cluster (epochs advanced by the operator). */
class SpaceLifecycleTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void retentionKeepsTheLastAndTaggedVersionsAndDeletesWhatNothingNeeds() throws Exception {
        TestCluster.runWithNewCluster(4, 16, cluster -> {
            Spaces spaces = new Spaces(cluster.client(), SpacesOptions.defaults().withSmallEntryMaxBytes(4096));
            Space space = spaces.create("kept", false);
            byte[] big = cluster.randomBlob(200_000);
            space.put("a", utf8("1"));                      // v1
            space.put("big", big);                           // v2
            Instant afterTwo = Instant.now();
            Thread.sleep(5);
            space.put("b", utf8("2"));                       // v3
            space.put("a", utf8("1 again"));                 // v4
            space.tag("release", 2);                         // v5
            space.put("c", utf8("3"));                       // v6
            space.delete("big");                             // v7
            List<String> manifests = new ArrayList<>();
            for (VersionInfo v : space.history(Long.MAX_VALUE, 100)) {
                manifests.addFirst(v.manifestBlobId());
            }

            RetentionReport report = space.retain(RetentionPolicy.keepLast(2)); // keeps 7, 6 and tagged 2
            assertThat(report.prunedVersions()).containsExactly(1L, 3L, 4L, 5L);
            assertThat(report.version()).isEqualTo(8);
            assertThat(report.blobsDeleted()).isPositive();
            assertThat(report.warnings()).isEmpty();
            // The pruned versions' manifests are deleted; kept versions read and verify.
            for (int v : new int[]{1, 3, 4, 5}) {
                assertThat(cluster.client().status(BlobId.parse(manifests.get(v - 1))).status())
                        .as("manifest of version " + v).isInstanceOf(BlobStatus.Nonexistent.class);
                assertThatThrownBy(() -> space.at(v)).hasMessageContaining("deleted by retention");
            }
            assertThat(space.at(2).read("big")).isEqualTo(big); // the tagged version keeps its large entry
            assertThat(space.at(2).read("a")).isEqualTo(utf8("1")); // and v1's pack, which it still needs
            assertThat(space.at(afterTwo).version()).isEqualTo(2);
            assertThat(space.at(6).read("a")).isEqualTo(utf8("1 again"));
            assertThat(space.snapshot().read("c")).isEqualTo(utf8("3"));
            VerifyReport verified = space.verify();
            assertThat(verified.ok()).as(String.valueOf(verified.firstBreak())).isTrue();
            assertThat(verified.versionsChecked()).isEqualTo(4); // 8, 7, 6 and the kept 2
            assertThat(space.history(Long.MAX_VALUE, 100)).extracting(VersionInfo::version).containsExactly(8L, 7L, 6L, 2L);
            assertThat(space.tags()).containsEntry("release", 2L);
            // Nothing more to prune: no new version.
            assertThat(space.retain(RetentionPolicy.keepLast(3)).prunedVersions()).isEmpty();
        });
    }

    @Test
    void renewalKeepsKeptVersionsAliveAcrossEpochsAndWarnsWhenTheBudgetIsShort() throws Exception {
        TestCluster.runWithNewCluster(4, 16, cluster -> {
            Spaces spaces = new Spaces(cluster.client(), SpacesOptions.defaults().withEpochs(2).withSmallEntryMaxBytes(4096));
            Space renewed = spaces.create("renewed", false);
            Space neglected = spaces.create("neglected", false);
            byte[] big = cluster.randomBlob(100_000);
            for (Space s : List.of(renewed, neglected)) {
                s.put("small", utf8("x"));
                s.put("big", big);
            }
            assertThat(renewed.earliestExpiry()).isEqualTo(3); // stored in epoch 1 for 2 epochs

            // A budget too small for everything: the most urgent blobs first, a warning for each one left.
            cluster.local().advanceEpoch(); // epoch 2
            RenewalReport tight = renewed.renew(new RenewalPolicy(1, 3, 1));
            assertThat(tight.healthy()).isFalse();
            assertThat(tight.warnings()).isNotEmpty().allSatisfy(w -> assertThat(w).contains("budget"));
            RenewalReport full = renewed.renew(new RenewalPolicy(1, 3, Long.MAX_VALUE));
            assertThat(full.healthy()).as(full.warnings() + " " + full.lost()).isTrue();
            assertThat(full.extended()).isNotEmpty().allSatisfy(e -> assertThat(e.toEndEpoch()).isEqualTo(6));
            assertThat(renewed.earliestExpiry()).isEqualTo(6);

            cluster.local().advanceEpoch(); // epoch 3: the neglected space's blobs end here
            cluster.local().advanceEpoch(); // epoch 4
            await(Duration.ofSeconds(60), () -> cluster.client().status(BlobId.parse(neglected.head().manifestBlobId()))
                    .status() instanceof BlobStatus.Nonexistent);
            assertThat(renewed.snapshot().read("big")).isEqualTo(big);
            assertThat(renewed.at(1).read("small")).isEqualTo(utf8("x"));
            assertThat(renewed.verify().ok()).isTrue();
            assertThatThrownBy(() -> neglected.snapshot().read("big")).isInstanceOf(RuntimeException.class);
            RenewalReport late = neglected.renew(new RenewalPolicy(1, 3, Long.MAX_VALUE));
            assertThat(late.lost()).isNotEmpty(); // reported, never silent

            // The background renewer runs the same rounds (its first at once) over every space of the account, and
            // its close waits for a round in progress.
            Map<String, RenewalReport> seen = new ConcurrentHashMap<>();
            try (SpaceRenewer renewer = new SpaceRenewer(spaces, new RenewalPolicy(1, 3, Long.MAX_VALUE),
                    Duration.ofHours(1), seen::put)) {
                await(Duration.ofSeconds(60), () -> seen.keySet().containsAll(List.of("renewed", "neglected")));
            }
            assertThat(seen.get("neglected").lost()).isNotEmpty();
            assertThat(seen.get("renewed").healthy()).as(seen.get("renewed").warnings().toString()).isTrue();
        });
    }

    private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
