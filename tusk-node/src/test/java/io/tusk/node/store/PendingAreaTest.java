package io.tusk.node.store;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class PendingAreaTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    private static BlobId id(int b) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) b;
        return BlobId.of(bytes);
    }

    private static final BlobMetadata METADATA = new BlobEncoder(4).computeMetadata(new byte[] {1, 2, 3}).metadata();

    @Test
    void shouldBoundEntries() {
        PendingArea area = new PendingArea(2, 1_000, 60_000, clock);
        assertThat(area.putMetadata(id(1), METADATA, 10)).isEqualTo(PendingArea.Outcome.BUFFERED);
        assertThat(area.putMetadata(id(1), METADATA, 10)).isEqualTo(PendingArea.Outcome.ALREADY_BUFFERED);
        assertThat(area.putSliver(id(1), 0, SliverType.PRIMARY, new byte[10])).isEqualTo(PendingArea.Outcome.BUFFERED);
        assertThat(area.putSliver(id(2), 0, SliverType.PRIMARY, new byte[10])).isEqualTo(PendingArea.Outcome.SATURATED);
        assertThat(area.entries()).isEqualTo(2);
    }

    @Test
    void shouldBoundBytes() {
        PendingArea area = new PendingArea(100, 25, 60_000, clock);
        assertThat(area.putSliver(id(1), 0, SliverType.PRIMARY, new byte[20])).isEqualTo(PendingArea.Outcome.BUFFERED);
        assertThat(area.putSliver(id(1), 0, SliverType.SECONDARY, new byte[6])).isEqualTo(PendingArea.Outcome.SATURATED);
        assertThat(area.putSliver(id(1), 0, SliverType.SECONDARY, new byte[5])).isEqualTo(PendingArea.Outcome.BUFFERED);
        assertThat(area.bytes()).isEqualTo(25);
    }

    @Test
    void shouldFreeSpaceWhenTaken() {
        PendingArea area = new PendingArea(2, 100, 60_000, clock);
        area.putMetadata(id(1), METADATA, 10);
        area.putSliver(id(1), 3, SliverType.SECONDARY, new byte[10]);
        PendingArea.PendingBlob blob = area.take(id(1)).orElseThrow();
        assertThat(blob.metadata()).contains(METADATA);
        assertThat(blob.slivers()).singleElement().satisfies(s -> {
            assertThat(s.pairIndex()).isEqualTo(3);
            assertThat(s.type()).isEqualTo(SliverType.SECONDARY);
        });
        assertThat(area.entries()).isZero();
        assertThat(area.bytes()).isZero();
        assertThat(area.take(id(1))).isEmpty();
    }

    @Test
    void shouldExpireOldEntries() {
        PendingArea area = new PendingArea(1, 100, 5_000, clock);
        area.putMetadata(id(1), METADATA, 10);
        assertThat(area.putMetadata(id(2), METADATA, 10)).isEqualTo(PendingArea.Outcome.SATURATED);
        now.addAndGet(5_000);
        assertThat(area.putMetadata(id(2), METADATA, 10)).isEqualTo(PendingArea.Outcome.BUFFERED);
        assertThat(area.hasMetadata(id(1))).isFalse();
    }
}
