package io.tusk.node.service;

import io.tusk.core.api.ErrorReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tusk.core.bcs.BcsReader;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.RecoverySymbol;
import io.tusk.core.encoding.SliverPair;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.client.SymbolId;
import io.tusk.node.store.BlobStatus;
import io.tusk.node.store.NodeStore;
import io.tusk.node.store.PendingArea;
import io.tusk.node.store.StoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageServiceTest {
    static final int N = 10;
    static final Set<Integer> OWNED = Set.of(0, 3, 4, 8);

    @TempDir
    Path dir;
    NodeStore store;
    StorageService service;
    BlobEvents events;
    EncodedBlob blob;
    long cursor;

    static final BlsKeyPair KEY = BlsKeyPair.generate(new java.security.SecureRandom());

    @BeforeEach
    void setUp() {
        store = NodeStore.open(dir, StoreOptions.DEFAULT);
        NodeState state = new NodeState(new CommitteeView(1, N, OWNED));
        NodeMetrics metrics = new NodeMetrics(new SimpleMeterRegistry());
        service = new StorageService(store, new PendingArea(1000, 1 << 24, 60_000, Clock.systemUTC()), state,
                KEY, metrics, 5_000, 8);
        events = new BlobEvents(service, metrics);
        byte[] data = new byte[3000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        blob = new BlobEncoder(N).encode(data);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    static byte[] objectId(int b) {
        byte[] id = new byte[32];
        Arrays.fill(id, (byte) b);
        return id;
    }

    void register(boolean deletable, int object) {
        events.page().registered(cursor, 1, blob.blobId(), objectId(object), 3, deletable).commit(++cursor, Optional.empty());
    }

    List<Integer> ownedPairs() {
        return OWNED.stream().map(s -> blob.blobId().pairForShard(s, N)).sorted().toList();
    }

    void storeAll() {
        BlobId id = blob.blobId();
        assertThat(service.writes().putMetadata(id, blob.metadata().metadata().toBcs(), false)).isEqualTo(WriteOutcome.STORED);
        for (int pair : ownedPairs()) {
            SliverPair p = blob.pairs().get(pair);
            for (SliverType type : SliverType.values()) {
                assertThat(service.writes().putSliver(id, pair, type, p.sliver(type).toBcs(), false)).isEqualTo(WriteOutcome.STORED);
            }
        }
    }

    @Test
    void shouldStoreAndServeARegisteredBlob() throws Exception {
        BlobId id = blob.blobId();
        register(false, 1);
        assertThatThrownBy(() -> service.confirmations().confirmation(id, null, false, 0))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.MISSING_SLIVERS));
        storeAll();
        assertThat(service.getMetadata(id)).isEqualTo(blob.metadata().toBcs());
        for (int pair : ownedPairs()) {
            assertThat(service.getSliver(id, pair, SliverType.SECONDARY)).isEqualTo(blob.pairs().get(pair).secondary().toBcs());
            assertThat(service.sliverStatus(id, pair, SliverType.PRIMARY)).isEqualTo(StoredState.STORED);
        }
        assertThat(service.writes().putSliver(id, ownedPairs().get(0), SliverType.PRIMARY,
                blob.pairs().get(ownedPairs().get(0)).primary().toBcs(), false)).isEqualTo(WriteOutcome.ALREADY_STORED);
        SignedMessage signed = service.confirmations().confirmation(id, null, false, 0);
        assertThat(signed.verify(KEY.publicKey())).isTrue();
        assertThat(signed.serializedMessage()).isEqualTo(new StorageConfirmation(1, id, BlobPersistence.PERMANENT).toBcs());
        assertThat(service.blobStatus(id)).isInstanceOf(BlobStatus.Permanent.class);
    }

    @Test
    void shouldServeManySliversInOneAnswerInTheOrderAsked() {
        BlobId id = blob.blobId();
        register(false, 1);
        storeAll();
        List<Integer> owned = ownedPairs();
        int notOwned = java.util.stream.IntStream.range(0, N).filter(q -> !owned.contains(q)).findFirst().orElseThrow();
        List<Integer> asked = List.of(owned.get(2), notOwned, owned.get(0), owned.get(2), N + 5, owned.get(1));
        BcsReader reader = new BcsReader(service.getSlivers(id, SliverType.PRIMARY, asked, Long.MAX_VALUE));
        assertThat(reader.uleb128(N)).isEqualTo(3);
        for (int pair : List.of(owned.get(2), owned.get(0), owned.get(1))) {
            assertThat(io.tusk.core.encoding.Sliver.readBcs(SliverType.PRIMARY, reader))
                    .isEqualTo(blob.pairs().get(pair).primary());
        }
        reader.expectEnd();

        // The byte budget cuts the answer short, but never below one sliver.
        int one = blob.pairs().get(owned.get(0)).secondary().toBcs().length;
        BcsReader cut = new BcsReader(service.getSlivers(id, SliverType.SECONDARY, owned, one + 1));
        assertThat(cut.uleb128(N)).isEqualTo(1);
        BcsReader tiny = new BcsReader(service.getSlivers(id, SliverType.SECONDARY, owned, 1));
        assertThat(tiny.uleb128(N)).isEqualTo(1);

        // Nothing to serve: the last refusal.
        assertThatThrownBy(() -> service.getSlivers(id, SliverType.PRIMARY, List.of(notOwned), Long.MAX_VALUE))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.reason())
                        .isEqualTo(ErrorReason.SHARD_NOT_ASSIGNED));
        assertThatThrownBy(() -> service.getSlivers(BlobId.of(new byte[32]), SliverType.PRIMARY, owned, 1 << 20))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.reason())
                        .isEqualTo(ErrorReason.SLIVER_NOT_FOUND));
    }

    @Test
    void shouldRefuseDataOfUnregisteredBlobs() {
        BlobId id = blob.blobId();
        assertThatThrownBy(() -> service.writes().putMetadata(id, blob.metadata().metadata().toBcs(), false))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.NOT_REGISTERED));
        assertThat(store.hasMetadata(id)).isFalse();
    }

    @Test
    void shouldBufferPendingDataAndMoveItInOnRegistration() {
        BlobId id = blob.blobId();
        assertThat(service.writes().putMetadata(id, blob.metadata().metadata().toBcs(), true)).isEqualTo(WriteOutcome.BUFFERED);
        int pair = ownedPairs().get(1);
        assertThat(service.writes().putSliver(id, pair, SliverType.PRIMARY, blob.pairs().get(pair).primary().toBcs(), true))
                .isEqualTo(WriteOutcome.BUFFERED);
        assertThat(service.metadataStatus(id)).isEqualTo(StoredState.BUFFERED);
        assertThat(service.sliverStatus(id, pair, SliverType.PRIMARY)).isEqualTo(StoredState.BUFFERED);
        register(true, 2);
        assertThat(service.metadataStatus(id)).isEqualTo(StoredState.STORED);
        assertThat(service.sliverStatus(id, pair, SliverType.PRIMARY)).isEqualTo(StoredState.STORED);
    }

    @Test
    void shouldCheckPairsShardsAndIndices() {
        BlobId id = blob.blobId();
        register(false, 1);
        service.writes().putMetadata(id, blob.metadata().metadata().toBcs(), false);
        int notOwnedPair = java.util.stream.IntStream.range(0, N).filter(q -> !ownedPairs().contains(q)).findFirst().orElseThrow();
        assertError(() -> service.writes().putSliver(id, N, SliverType.PRIMARY, new byte[0], false), ErrorReason.INDEX_OUT_OF_RANGE);
        assertError(() -> service.writes().putSliver(id, notOwnedPair, SliverType.PRIMARY,
                blob.pairs().get(notOwnedPair).primary().toBcs(), false), ErrorReason.SHARD_NOT_ASSIGNED);
        int pair = ownedPairs().get(0);
        assertError(() -> service.writes().putSliver(id, pair, SliverType.SECONDARY, blob.pairs().get(pair).primary().toBcs(), false),
                ErrorReason.SLIVER_INDEX_MISMATCH);
        assertError(() -> service.writes().putSliver(id, pair, SliverType.PRIMARY, new byte[] {1, 2, 3}, false),
                ErrorReason.INVALID_CONTENT_TYPE);
        byte[] corrupt = blob.pairs().get(pair).primary().toBcs();
        corrupt[3] ^= 1;
        assertError(() -> service.writes().putSliver(id, pair, SliverType.PRIMARY, corrupt, false), ErrorReason.INVALID_SLIVER);
        assertThat(service.sliverStatus(id, pair, SliverType.PRIMARY)).isEqualTo(StoredState.NONEXISTENT);
    }

    @Test
    void shouldServeRecoverySymbolsThatVerify() {
        BlobId id = blob.blobId();
        register(false, 1);
        storeAll();
        EncodingConfig config = new EncodingConfig(N);
        int pair = ownedPairs().get(0);
        byte[] bcs = service.symbols().recoverySymbols(id, List.of(new SymbolId(pair, 5), new SymbolId(pair, 2)), null);
        BcsReader r = new BcsReader(bcs);
        assertThat(r.uleb128(100)).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            RecoverySymbol s = RecoverySymbol.readBcs(r);
            s.verify(config, blob.metadata().metadata());
            assertThat(s.targetType()).isEqualTo(SliverType.SECONDARY);
        }
        r.expectEnd();
        byte[] target = service.symbols().recoverySymbolsForTarget(id, 6, SliverType.PRIMARY, null);
        BcsReader t = new BcsReader(target);
        assertThat(t.uleb128(100)).isEqualTo(OWNED.size());
        for (int i = 0; i < OWNED.size(); i++) {
            RecoverySymbol s = RecoverySymbol.readBcs(t);
            s.verify(config, blob.metadata().metadata());
            assertThat(s.targetIndex()).isEqualTo(6);
        }
        int notOwnedPair = java.util.stream.IntStream.range(0, N).filter(q -> !ownedPairs().contains(q)
                && !ownedPairs().contains(N - 1 - q)).findFirst().orElseThrow();
        assertError(() -> service.symbols().recoverySymbols(id, List.of(new SymbolId(notOwnedPair, N - 1 - notOwnedPair)), null),
                ErrorReason.SYMBOL_NOT_PRESENT_AT_SHARDS);
    }

    @Test
    void shouldAttestOnlyToValidInconsistencyProofs() {
        EncodingConfig config = new EncodingConfig(N);
        // a forged blob: one repair primary sliver replaced by garbage whose hash the metadata commits to
        int p = config.primarySourceSymbols();
        int badRow = N - 1;
        io.tusk.core.encoding.Sliver original = blob.pairs().get(badRow).primary();
        byte[] garbageData = new byte[original.length()];
        new java.util.Random(5).nextBytes(garbageData);
        io.tusk.core.encoding.Sliver garbage = new io.tusk.core.encoding.Sliver(SliverType.PRIMARY, badRow,
                original.symbolSize(), garbageData);
        List<io.tusk.core.metadata.SliverPairMetadata> hashes = new java.util.ArrayList<>(blob.metadata().metadata().hashes());
        hashes.set(badRow, new io.tusk.core.metadata.SliverPairMetadata(garbage.computeHash(config),
                hashes.get(badRow).secondaryHash()));
        io.tusk.core.metadata.BlobMetadata forged = new io.tusk.core.metadata.BlobMetadata(
                blob.metadata().metadata().encodingType(), blob.metadata().metadata().unencodedLength(), hashes);
        BlobId forgedId = forged.computeBlobId();
        // rebuilding secondary sliver 0 from the garbage row and p - 1 honest rows contradicts the metadata
        List<RecoverySymbol> symbols = new java.util.ArrayList<>();
        symbols.add(new io.tusk.core.encoding.SliverExpansion(config, garbage).recoverySymbol(0));
        for (int r = 0; symbols.size() < p; r++) {
            symbols.add(new io.tusk.core.encoding.SliverExpansion(config, blob.pairs().get(r).primary()).recoverySymbol(0));
        }
        io.tusk.core.encoding.InconsistencyProof proof = new io.tusk.core.encoding.InconsistencyProof(SliverType.SECONDARY,
                0, symbols);
        assertThat(proof.verify(config, forged)).isTrue();

        assertThatThrownBy(() -> service.confirmations().inconsistencyProof(forgedId, SliverType.SECONDARY, proof.toBcs()))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.MISSING_METADATA));
        store.batch().putMetadata(forgedId, forged).commit();
        SignedMessage signed = service.confirmations().inconsistencyProof(forgedId, SliverType.SECONDARY, proof.toBcs());
        assertThat(signed.serializedMessage()).isEqualTo(new io.tusk.core.messages.InvalidBlobIdMessage(1, forgedId).toBcs());
        assertThat(signed.verify(KEY.publicKey())).isTrue();
        // a garbled body, and an honest set of symbols, are refused
        assertThatThrownBy(() -> service.confirmations().inconsistencyProof(forgedId, SliverType.SECONDARY, new byte[] {1, 2, 3}))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_CONTENT_TYPE));
        List<RecoverySymbol> honest = new java.util.ArrayList<>();
        for (int r = 0; honest.size() < p; r++) {
            honest.add(new io.tusk.core.encoding.SliverExpansion(config, blob.pairs().get(r).primary()).recoverySymbol(0));
        }
        byte[] noProof = new io.tusk.core.encoding.InconsistencyProof(SliverType.SECONDARY, 0, honest).toBcs();
        assertThatThrownBy(() -> service.confirmations().inconsistencyProof(forgedId, SliverType.SECONDARY, noProof))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_PROOF));
    }

    @Test
    void shouldCollectDataWhenTheLastObjectIsDeleted() {
        BlobId id = blob.blobId();
        register(true, 1);
        register(true, 2);
        storeAll();
        events.page().deleted(cursor, 1, id, objectId(1)).commit(++cursor, Optional.empty());
        assertThat(store.hasMetadata(id)).isTrue();
        events.page().deleted(cursor, 1, id, objectId(2)).commit(++cursor, Optional.empty());
        assertThat(store.hasMetadata(id)).isFalse();
        assertThat(service.blobStatus(id)).isEqualTo(BlobStatus.Nonexistent.INSTANCE);
        assertThat(store.eventCursor()).isEqualTo(4);
    }

    static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorReason error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.reason()).isEqualTo(error));
    }
}
