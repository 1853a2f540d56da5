package io.tusk.node;

import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.Event;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.RecoverySymbol;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.client.HttpStorageNodeClient;
import io.tusk.node.client.NodeEndpoint;
import io.tusk.node.client.NodeRequestException;
import io.tusk.node.client.StorageNodeClient;
import io.tusk.node.client.SymbolId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** The node client against a real node (RocksDB, real socket), as the SDK and other nodes use it. */
class StorageNodeClientTest {
    static final int N = 10;
    static final List<Integer> OWNED = List.of(1, 2, 5, 7);

    @TempDir
    Path dir;
    BlsKeyPair key;
    FakeControl control;
    StorageNode node;
    StorageNodeClient client;
    final Map<NodeEndpoint, Integer> received = new ConcurrentHashMap<>();
    EncodedBlob blob;
    BlobId id;

    @BeforeEach
    void setUp() throws Exception {
        key = BlsKeyPair.generate(new SecureRandom());
        Files.writeString(dir.resolve("node.bls"), HexFormat.of().formatHex(key.secret()));
        List<Integer> rest = IntStream.range(0, N).boxed().filter(s -> !OWNED.contains(s)).toList();
        control = new FakeControl(new CommitteeInfo(1, N, List.of(
                new CommitteeMember("0x01", "me", "127.0.0.1:1", key.publicKey().bytes(), 1, OWNED),
                new CommitteeMember("0x02", "other", "127.0.0.1:2",
                        BlsKeyPair.generate(new SecureRandom()).publicKey().bytes(), 1, rest))));
        NodeConfig config = NodeConfig.of(dir.resolve("db"), dir.resolve("node.bls"), URI.create("http://unused"))
                .withPort(0);
        node = StorageNode.start(config, control);
        await().atMost(StorageNodeApiTest.EVENT_TIMEOUT).until(() -> node.follower().hasCommittee());
        client = new HttpStorageNodeClient("127.0.0.1:" + node.port(), Duration.ofSeconds(20),
                (endpoint, bytes) -> received.merge(endpoint, bytes, Integer::sum));
        byte[] data = new byte[20_000];
        new java.util.Random(3).nextBytes(data);
        blob = new BlobEncoder(N).encode(data);
        id = blob.blobId();
    }

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.close();
        }
    }

    List<Integer> ownedPairs() {
        return OWNED.stream().map(s -> id.pairForShard(s, N)).sorted().toList();
    }

    void registerAndStore() throws InterruptedException {
        long cursor = control.nextCursor();
        control.append(new Event.BlobRegistered(cursor, 1, id.toString(), StorageNodeApiTest.objectHex(4), "0xowner",
                20_000, "RS2", 5, false));
        await().atMost(StorageNodeApiTest.EVENT_TIMEOUT).until(() -> node.store().eventCursor() > cursor);
        client.storeMetadata(id, blob.metadata().metadata());
        for (int pair : ownedPairs()) {
            for (SliverType type : SliverType.values()) {
                client.storeSliver(id, pair, blob.pairs().get(pair).sliver(type));
            }
        }
    }

    @Test
    void shouldStoreReadAndConfirm() throws Exception {
        registerAndStore();
        assertThat(client.metadata(id)).isEqualTo(blob.metadata());
        int pair = ownedPairs().get(2);
        assertThat(client.sliver(id, pair, SliverType.SECONDARY)).isEqualTo(blob.pairs().get(pair).secondary());
        SignedMessage confirmation = client.confirmation(id, BlobPersistence.PERMANENT, Duration.ofSeconds(1));
        assertThat(confirmation.verify(key.publicKey())).isTrue();
        assertThat(confirmation.serializedMessage())
                .isEqualTo(new StorageConfirmation(1, id, BlobPersistence.PERMANENT).toBcs());
        assertThat(client.health()).contains(key.publicKey().toBase64());
        assertThat(received.get(NodeEndpoint.METADATA)).isEqualTo(blob.metadata().toBcs().length);
    }

    @Test
    void shouldReadManySliversInOneRequestLeavingOutWhatTheNodeDoesNotServe() throws Exception {
        registerAndStore();
        List<Integer> owned = ownedPairs();
        int foreign = IntStream.range(0, N).filter(q -> !owned.contains(q)).findFirst().orElseThrow();
        List<Sliver> slivers = client.slivers(id, SliverType.PRIMARY, List.of(owned.get(3), foreign, owned.get(0)));
        assertThat(slivers).containsExactly(blob.pairs().get(owned.get(3)).primary(),
                blob.pairs().get(owned.get(0)).primary());
        NodeRequestException none = catchThrowableOfType(NodeRequestException.class,
                () -> client.slivers(id, SliverType.PRIMARY, List.of(foreign)));
        assertThat(none.isShardNotAssigned()).isTrue();
        assertThat(client.slivers(id, SliverType.PRIMARY, List.of())).isEmpty();
    }

    @Test
    void shouldFetchRecoverySymbolsThatVerify() throws Exception {
        registerAndStore();
        int pair = ownedPairs().get(0);
        List<RecoverySymbol> symbols = client.recoverySymbols(id, List.of(new SymbolId(pair, 4),
                new SymbolId(pair, 8)), SliverType.PRIMARY);
        assertThat(symbols).hasSize(2);
        for (RecoverySymbol symbol : symbols) {
            symbol.verify(new EncodingConfig(N), blob.metadata().metadata());
        }
        assertThat(received.get(NodeEndpoint.RECOVERY_SYMBOLS)).isPositive();
    }

    @Test
    void shouldReportRefusalsAndUnreachableNodesAsNodeRequestExceptions() throws Exception {
        NodeRequestException notRegistered = catchThrowableOfType(NodeRequestException.class,
                () -> client.storeMetadata(id, blob.metadata().metadata()));
        assertThat(notRegistered.isNotRegistered()).isTrue();
        assertThat(notRegistered.status()).isEqualTo(400);
        assertThat(notRegistered.node()).isEqualTo("127.0.0.1:" + node.port());

        NodeRequestException missing = catchThrowableOfType(NodeRequestException.class, () -> client.metadata(id));
        assertThat(missing.isNotFound()).isTrue();
        assertThat(missing.reason()).isEqualTo("METADATA_NOT_FOUND");

        node.close();
        node = null;
        NodeRequestException gone = catchThrowableOfType(NodeRequestException.class, () -> client.metadata(id));
        assertThat(gone.status()).isZero();
    }
}
