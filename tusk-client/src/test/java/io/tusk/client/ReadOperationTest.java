package io.tusk.client;

import io.tusk.core.encoding.BlobDecoder;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.NotEnoughSliversException;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The SDK's read (verified metadata from any member, then {@code p} verified primary slivers with hedging) against a
 * committee of fake nodes that can be down, hung or lying.
 */
class ReadOperationTest {
    /** Guards tests whose failure mode is hanging forever; far longer than any hedge. */
    private static final Duration NEVER = Duration.ofSeconds(60);
    private static final EncodingConfig ENCODING = new EncodingConfig(FakeCommittee.SHARDS);

    private final FakeCommittee fakes = new FakeCommittee();

    @AfterEach
    void close() {
        fakes.close();
    }

    private static EncodedBlob blob(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return new BlobEncoder(ENCODING).encode(data);
    }

    private byte[] read(EncodedBlob blob) {
        return read(blob, ReadOperation.Hedge.DEFAULT);
    }

    private byte[] read(EncodedBlob blob, ReadOperation.Hedge hedge) {
        return read(blob, hedge, false);
    }

    /** A read as the SDK runs it: the first slivers asked for before the metadata (or, without, after it). */
    private byte[] read(EncodedBlob blob, ReadOperation.Hedge hedge, boolean firstSliversEarly) {
        try (ReadOperation read = new ReadOperation(fakes.client, fakes.committee, ENCODING, blob.blobId(), hedge)) {
            if (firstSliversEarly) {
                read.requestFirstSlivers();
            }
            BlobMetadataWithId metadata = read.metadata();
            List<Sliver> slivers = read.primarySlivers(metadata);
            assertThat(new HashSet<>(slivers.stream().map(Sliver::index).toList())).hasSize(slivers.size());
            return new BlobDecoder(ENCODING).decode(metadata, slivers);
        }
    }

    private static byte[] data(EncodedBlob blob, int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** The holders of the pairs a healthy read asks for first: the systematic pairs and the margin. */
    private Set<FakeNode> firstHolders(BlobId blobId) {
        return firstPairCounts(blobId).keySet();
    }

    /** How many of the pairs a healthy read asks for first each holder holds. */
    private Map<FakeNode, Long> firstPairCounts(BlobId blobId) {
        int first = ENCODING.primarySourceSymbols() + Math.max(2, ENCODING.primarySourceSymbols() / 16);
        Map<FakeNode, Long> counts = new HashMap<>();
        for (int pair = 0; pair < first; pair++) {
            counts.merge(fakes.holderOf(blobId, pair), 1L, Long::sum);
        }
        return counts;
    }

    @Test
    void shouldReadASmallBlobWithOneSliverRequestPerHolder() {
        EncodedBlob blob = blob(1024, 1);
        fakes.holding(blob);
        // No hedge in this test: on a loaded machine a quiet spell would ask more holders, which is right but not this.
        assertThat(read(blob, new ReadOperation.Hedge(NEVER, NEVER))).isEqualTo(data(blob, 1024, 1));
        assertThat(fakes.nodes.stream().mapToLong(node -> node.count("metadata")).sum()).isEqualTo(1);
        for (FakeNode node : fakes.nodes) {
            long expected = firstHolders(blob.blobId()).contains(node) ? 1 : 0;
            assertThat(node.count("slivers")).as(node.address()).isEqualTo(expected);
            assertThat(node.count("sliver ")).as(node.address()).isZero();
        }
    }

    @Test
    void shouldAskForTheFirstSliversBeforeTheMetadataWithOneRequestPerHolder() {
        EncodedBlob blob = blob(1024, 11);
        fakes.holding(blob);
        assertThat(read(blob, new ReadOperation.Hedge(NEVER, NEVER), true)).isEqualTo(data(blob, 1024, 11));
        assertThat(fakes.nodes.stream().mapToLong(node -> node.count("metadata")).sum()).isEqualTo(1);
        for (FakeNode node : fakes.nodes) {
            long expected = firstHolders(blob.blobId()).contains(node) ? 1 : 0;
            assertThat(node.count("slivers")).as(node.address()).isEqualTo(expected);
        }
    }

    @Test
    void shouldAskAgainForWhatTheCapOfTheFirstAnswersLeftOut() {
        // 8 MiB: primary slivers of about 240 KiB, so a first answer (asked before the size was known, capped at 4 MiB)
        // holds 17 of them, while some holder was asked for more (the first pairs fall on two or three holders).
        int size = 8 << 20;
        EncodedBlob blob = blob(size, 12);
        fakes.holding(blob);
        long perAnswer = SliverBatches.MAX_BATCH_BYTES / ENCODING.sliverSize(io.tusk.core.encoding.SliverType.PRIMARY, size);
        Map<FakeNode, Long> firstPairs = firstPairCounts(blob.blobId());
        assertThat(firstPairs.values().stream().mapToLong(Long::longValue).max().orElseThrow()).as("pairs of one holder")
                .isGreaterThan(perAnswer);
        assertThat(read(blob, new ReadOperation.Hedge(NEVER, NEVER), true)).isEqualTo(data(blob, size, 12));
        long requests = fakes.nodes.stream().mapToLong(node -> node.count("slivers")).sum();
        assertThat(requests).as("sliver requests").isGreaterThan(firstPairs.size());
        // What a cap left out was asked for again: no pair past the first ones was needed.
        int first = firstPairs.values().stream().mapToInt(Long::intValue).sum();
        for (FakeNode node : fakes.nodes) {
            synchronized (node.requests) {
                for (String request : node.requests) {
                    if (request.startsWith("slivers")) {
                        for (String pair : request.replaceAll("[^0-9,]", "").split(",")) {
                            assertThat(Integer.parseInt(pair)).as(request).isLessThan(first);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldSplitALargeBlobsSliversIntoBatchesOfAFewMegabytes() {
        int size = 12 << 20;
        EncodedBlob blob = blob(size, 2);
        fakes.holding(blob);
        assertThat(read(blob)).isEqualTo(data(blob, size, 2));
        long sliverBytes = ENCODING.sliverSize(io.tusk.core.encoding.SliverType.PRIMARY, size);
        long perBatch = Math.max(1, SliverBatches.MAX_BATCH_BYTES / sliverBytes);
        for (FakeNode node : fakes.nodes) {
            synchronized (node.requests) {
                for (String request : node.requests) {
                    if (request.startsWith("slivers")) {
                        assertThat(request.split(",")).hasSizeLessThanOrEqualTo((int) perBatch);
                    }
                }
            }
        }
    }

    @Test
    void shouldWaitForASystematicSliverStillOnItsWayRatherThanDecode() throws Exception {
        // A blob whose pair 0 falls on a holder of at most `margin` of the first pairs: the other holders alone bring p
        // verified slivers, and that holder (with systematic pair 0) answers 200 ms after them.
        int p = ENCODING.primarySourceSymbols();
        int size = (int) ReadOperation.SYSTEMATIC_WAIT_MIN_BYTES;
        long seed = seedWithPairZeroOnAMinorHolder(size);
        EncodedBlob blob = blob(size, seed);
        fakes.holding(blob);
        FakeNode slow = fakes.holderOf(blob.blobId(), 0);
        CountDownLatch gate = new CountDownLatch(1);
        slow.answerSliversAfter(gate);
        Set<FakeNode> others = new HashSet<>(firstHolders(blob.blobId()));
        others.remove(slow);
        Thread opener = Thread.ofVirtual().start(() -> {
            try {
                while (others.stream().anyMatch(node -> node.count("slivers") == 0)) {
                    Thread.sleep(5);
                }
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            gate.countDown();
        });
        try (ReadOperation read = new ReadOperation(fakes.client, fakes.committee, ENCODING, blob.blobId(),
                new ReadOperation.Hedge(NEVER, NEVER))) {
            read.requestFirstSlivers();
            BlobMetadataWithId metadata = read.metadata();
            List<Sliver> slivers = assertTimeoutPreemptively(NEVER, () -> read.primarySlivers(metadata));
            // Every systematic sliver is there, so decoding copies rows and decodes none.
            assertThat(slivers.stream().map(Sliver::index).toList()).containsAll(
                    java.util.stream.IntStream.range(0, p).boxed().toList());
            assertThat(new BlobDecoder(ENCODING).decode(metadata, slivers)).isEqualTo(data(blob, size, seed));
        } finally {
            gate.countDown();
            opener.join();
        }
    }

    @Test
    void shouldDecodeASmallBlobRatherThanWaitForItsSystematicSlivers() throws Exception {
        // The same shape with a 1 KiB blob: decoding it costs less than waiting, so the read ends with p verified
        // slivers while the holder of pair 0 has not answered (it answers only after the read, or it would hang).
        int p = ENCODING.primarySourceSymbols();
        long seed = seedWithPairZeroOnAMinorHolder(1024);
        EncodedBlob blob = blob(1024, seed);
        fakes.holding(blob);
        CountDownLatch gate = new CountDownLatch(1);
        fakes.holderOf(blob.blobId(), 0).answerSliversAfter(gate);
        try (ReadOperation read = new ReadOperation(fakes.client, fakes.committee, ENCODING, blob.blobId(),
                new ReadOperation.Hedge(NEVER, NEVER))) {
            read.requestFirstSlivers();
            BlobMetadataWithId metadata = read.metadata();
            List<Sliver> slivers = assertTimeoutPreemptively(NEVER.dividedBy(2), () -> read.primarySlivers(metadata));
            assertThat(slivers).hasSizeGreaterThanOrEqualTo(p).extracting(Sliver::index).doesNotContain(0);
            assertThat(new BlobDecoder(ENCODING).decode(metadata, slivers)).isEqualTo(data(blob, 1024, seed));
        } finally {
            gate.countDown();
        }
    }

    /** A seed whose blob has pair 0 on a holder of at most `margin` of the first pairs (so the others bring p). */
    private long seedWithPairZeroOnAMinorHolder(int size) {
        int margin = Math.max(2, ENCODING.primarySourceSymbols() / 16);
        for (long seed = 100; ; seed++) {
            BlobId id = blob(size, seed).blobId();
            if (firstPairCounts(id).get(fakes.holderOf(id, 0)) <= margin) {
                return seed;
            }
        }
    }

    @ParameterizedTest(name = "first slivers before the metadata: {0}")
    @ValueSource(booleans = {false, true})
    void shouldReadAroundADownNode(boolean firstSliversEarly) {
        EncodedBlob blob = blob(1024, 3);
        fakes.holding(blob);
        fakes.holderOf(blob.blobId(), 0).behave(FakeNode.Behaviour.DOWN);
        assertThat(read(blob, ReadOperation.Hedge.DEFAULT, firstSliversEarly)).isEqualTo(data(blob, 1024, 3));
    }

    @Test
    void shouldHedgeAroundAHungNodeInsteadOfWaitingForIt() {
        EncodedBlob blob = blob(1024, 4);
        fakes.holding(blob);
        FakeNode hung = fakes.holderOf(blob.blobId(), 0).behave(FakeNode.Behaviour.HUNG);
        // A hung node never answers: without the hedge the read would wait for ever.
        ReadOperation read = new ReadOperation(fakes.client, fakes.committee, ENCODING, blob.blobId());
        BlobMetadataWithId metadata = read.metadata();
        List<Sliver> slivers = assertTimeoutPreemptively(NEVER, () -> read.primarySlivers(metadata));
        assertThat(new BlobDecoder(ENCODING).decode(metadata, slivers)).isEqualTo(data(blob, 1024, 4));
        assertThat(hung.count("slivers")).isEqualTo(1);
        // The read does not leave the request behind: it is interrupted when the read ends.
        assertTimeoutPreemptively(NEVER, () -> {
            while (hung.hanging.get() > 0) {
                Thread.sleep(5);
            }
        });
        assertThat(hung.interrupted.get()).isPositive();
    }

    @ParameterizedTest(name = "first slivers before the metadata: {0}")
    @ValueSource(booleans = {false, true})
    void shouldNotTrustALyingNode(boolean firstSliversEarly) {
        EncodedBlob blob = blob(1024, 5);
        fakes.holding(blob);
        FakeNode liar = fakes.holderOf(blob.blobId(), 0).behave(FakeNode.Behaviour.LYING);
        assertThat(read(blob, ReadOperation.Hedge.DEFAULT, firstSliversEarly)).isEqualTo(data(blob, 1024, 5));
        assertThat(liar.count("slivers")).isPositive();
    }

    @Test
    void shouldRefuseBadSliversAmongGoodOnesOfOneAnswerAndFetchOthersInstead() {
        EncodedBlob blob = blob(1024, 12);
        fakes.holding(blob);
        // Three bad slivers among the first pairs: their holders' answers carry good slivers too, and the read is left
        // one short of p after the margin, so it must refuse exactly the bad ones and ask for one more pair.
        int margin = Math.max(2, ENCODING.primarySourceSymbols() / 16);
        Set<Integer> bad = Set.of(0, 5, ENCODING.primarySourceSymbols() - 1);
        for (int pair : bad) {
            fakes.holderOf(blob.blobId(), pair).corrupting(pair);
        }
        try (ReadOperation read = new ReadOperation(fakes.client, fakes.committee, ENCODING, blob.blobId(),
                new ReadOperation.Hedge(NEVER, NEVER))) {
            read.requestFirstSlivers();
            BlobMetadataWithId metadata = read.metadata();
            List<Sliver> slivers = read.primarySlivers(metadata);
            assertThat(slivers).hasSizeGreaterThanOrEqualTo(ENCODING.primarySourceSymbols())
                    .noneMatch(sliver -> bad.contains(sliver.pairIndex(FakeCommittee.SHARDS)));
            assertThat(slivers).allSatisfy(sliver -> sliver.verify(ENCODING, metadata.metadata()));
            assertThat(new BlobDecoder(ENCODING).decode(metadata, slivers)).isEqualTo(data(blob, 1024, 12));
        }
        // It asked for pairs beyond the first ones. Which, and in how many requests, depends on the order the first
        // answers came back in (a read asks again as soon as a refused sliver leaves it short): a request made early
        // can still be waiting to start when a later one completes the read, and is then cancelled before any node
        // sees it, so exactly one request for pair p + margin was a race under load.
        int firstPairs = ENCODING.primarySourceSymbols() + margin;
        long later = fakes.nodes.stream().flatMap(node -> List.copyOf(node.requests).stream())
                .filter(request -> request.startsWith("slivers [")
                        && Integer.parseInt(request.replaceAll("[^0-9,]", "").split(",")[0]) >= firstPairs)
                .count();
        assertThat(later).isPositive();
    }

    @Test
    void shouldTakeMetadataFromAnotherMemberWhenOneLies() {
        EncodedBlob blob = blob(1024, 6);
        fakes.holding(blob);
        for (int m = 0; m < FakeCommittee.MEMBERS - 1; m++) {
            fakes.nodes.get(m).behave(FakeNode.Behaviour.LYING);
        }
        // Only the last member serves metadata that verifies; its slivers are the only good ones, too few to decode.
        ReadOperation read = new ReadOperation(fakes.client, fakes.committee, ENCODING, blob.blobId());
        assertThat(read.metadata()).isEqualTo(blob.metadata());
    }

    @Test
    void shouldAskAnotherMemberForMetadataWhenOneHangs() {
        EncodedBlob blob = blob(1024, 10);
        fakes.holding(blob);
        for (int m = 0; m < FakeCommittee.MEMBERS - 1; m++) {
            fakes.nodes.get(m).behave(FakeNode.Behaviour.HUNG);
        }
        // Whichever member is asked first, the only one that answers is found by hedging, not by a timeout.
        ReadOperation read = new ReadOperation(fakes.client, fakes.committee, ENCODING, blob.blobId());
        assertThat(assertTimeoutPreemptively(NEVER, read::metadata)).isEqualTo(blob.metadata());
    }

    @Test
    void shouldSayWhichSliversAreMissingWhenTooFewNodesServe() {
        EncodedBlob blob = blob(1024, 7);
        fakes.holding(blob);
        ReadOperation read = new ReadOperation(fakes.client, fakes.committee, ENCODING, blob.blobId());
        BlobMetadataWithId metadata = read.metadata();
        for (int m = 0; m < 3; m++) { // 75 of 100 shards down: 25 slivers left, 34 needed
            fakes.nodes.get(m).behave(FakeNode.Behaviour.DOWN);
        }
        assertThatThrownBy(() -> read.primarySlivers(metadata)).isInstanceOfSatisfying(NotEnoughSliversException.class,
                e -> {
                    assertThat(e.needed()).isEqualTo(ENCODING.primarySourceSymbols());
                    assertThat(e).hasMessageContaining("connection refused");
                });
    }

    @Test
    void shouldSayTheBlobIsNotFoundWhenAQuorumHasNoMetadata() {
        EncodedBlob blob = blob(1024, 8);
        ReadOperation read = new ReadOperation(fakes.client, fakes.committee, ENCODING, blob.blobId());
        assertThatThrownBy(read::metadata).isInstanceOf(BlobNotFoundException.class)
                .hasMessageContaining("have no metadata");
    }
}
