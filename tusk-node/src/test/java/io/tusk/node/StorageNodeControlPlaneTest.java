package io.tusk.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommandOutcome;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.Event;
import io.tusk.control.client.ControlClient;
import io.tusk.control.server.ControlServer;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.GenesisConfig;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A storage node following a real embedded control plane over HTTP, with its REST API on a real socket. */
class StorageNodeControlPlaneTest {
    static final int SHARDS = 10;

    @TempDir
    Path dir;
    BlsKeyPair nodeKey;
    Ed25519KeyPair alice;
    ControlServer control;
    ControlClient client;
    StorageNode node;
    final HttpClient http = HttpClient.newHttpClient();

    static Ed25519KeyPair account(int seed) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 3);
        secret[0] = (byte) seed;
        return Ed25519KeyPair.fromSecret(secret);
    }

    static GenesisConfig.GenesisNode genesisNode(String name, BlsKeyPair key, Ed25519KeyPair owner) {
        byte[] pop = key.sign(new ProofOfPossessionMessage(ControlState.GENESIS_POP_EPOCH, owner.publicKey().address(),
                key.publicKey()).toBcs()).bytes();
        return new GenesisConfig.GenesisNode(name, "127.0.0.1:1", owner.publicKey().address().toString(),
                key.publicKey().bytes(), pop, 10);
    }

    @BeforeEach
    void setUp() throws Exception {
        nodeKey = BlsKeyPair.generate(new java.security.SecureRandom());
        BlsKeyPair otherKey = BlsKeyPair.generate(new java.security.SecureRandom());
        alice = account(1);
        GenesisConfig genesis = GenesisConfig.devnet(account(0).publicKey().address().toString(),
                System.currentTimeMillis(), List.of(genesisNode("me", nodeKey, account(10)),
                        genesisNode("other", otherKey, account(11)))).withShardCount(SHARDS);
        control = ControlServer.start(dir.resolve("control"), genesis, "127.0.0.1", 0);
        client = new ControlClient(control.uri());
        Files.writeString(dir.resolve("node.bls"), HexFormat.of().formatHex(nodeKey.secret()));
        startNode();
        client.submit(new Command.Faucet(1_000_000_000L), alice);
    }

    void startNode() throws Exception {
        Path yaml = dir.resolve("node.yaml");
        Files.writeString(yaml, """
                dataDir: db
                port: 0
                blsKeyFile: node.bls
                controlUrl: %s
                eventWaitMillis: 500
                """.formatted(control.uri()));
        node = StorageNode.start(NodeConfig.load(yaml));
        await().atMost(StorageNodeApiTest.EVENT_TIMEOUT).until(() -> node.follower().hasCommittee());
    }

    @AfterEach
    void tearDown() throws Exception {
        node.close();
        client.close();
        control.close();
    }

    List<Integer> ownedShards() throws Exception {
        CommitteeInfo committee = client.committee();
        return committee.members().stream().filter(m -> Arrays.equals(m.blsPublicKey(), nodeKey.publicKey().bytes()))
                .findFirst().map(CommitteeMember::shards).orElseThrow();
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    Event.BlobRegistered register(EncodedBlob blob, boolean deletable) throws Exception {
        CommandOutcome outcome = client.submit(new Command.RegisterBlob(blob.blobId().toString(),
                blob.metadata().metadata().rootHash(), blob.metadata().metadata().unencodedLength(), "RS2", 2,
                deletable), alice);
        Event.BlobRegistered event = (Event.BlobRegistered) outcome.events().getFirst();
        await().atMost(StorageNodeApiTest.EVENT_TIMEOUT).until(() -> node.store().eventCursor() > event.cursor());
        return event;
    }

    void upload(EncodedBlob blob) throws Exception {
        BlobId id = blob.blobId();
        assertThat(send("PUT", "/v1/blobs/" + id + "/metadata", blob.metadata().metadata().toBcs()).statusCode())
                .isEqualTo(201);
        for (int shard : ownedShards()) {
            int pair = id.pairForShard(shard, SHARDS);
            for (SliverType type : SliverType.values()) {
                HttpResponse<byte[]> r = send("PUT", "/v1/blobs/" + id + "/slivers/" + pair + "/" + type.wireName(),
                        blob.pairs().get(pair).sliver(type).toBcs());
                assertThat(r.statusCode()).isEqualTo(201);
            }
        }
    }

    SignedMessage confirmation(BlobId id, String suffix) throws Exception {
        HttpResponse<byte[]> r = send("GET", "/v1/blobs/" + id + "/confirmation/" + suffix, null);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        JsonNode signed = new ObjectMapper().readTree(r.body()).get("success").get("data").get("signed");
        return SignedMessage.fromBase64(signed.get("serializedMessage").asText(), signed.get("signature").asText());
    }

    static EncodedBlob blob(int seed, int size) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return new BlobEncoder(SHARDS).encode(data);
    }

    @Test
    void shouldStoreConfirmAndKeepABlobRegisteredOnTheControlPlane() throws Exception {
        assertThat(node.service().state().view().ownedShards()).containsExactlyInAnyOrderElementsOf(ownedShards());
        EncodedBlob blob = blob(1, 20_000);
        register(blob, false);
        upload(blob);
        long epoch = client.epoch().epoch();
        SignedMessage signed = confirmation(blob.blobId(), "permanent");
        assertThat(signed.verify(nodeKey.publicKey())).isTrue();
        assertThat(signed.serializedMessage()).isEqualTo(
                new StorageConfirmation(epoch, blob.blobId(), BlobPersistence.PERMANENT).toBcs());

        node.close();
        startNode();
        assertThat(send("GET", "/v1/blobs/" + blob.blobId() + "/metadata", null).body())
                .isEqualTo(blob.metadata().toBcs());
        assertThat(confirmation(blob.blobId(), "permanent").verify(nodeKey.publicKey())).isTrue();
    }

    @Test
    void shouldDropTheDataOfADeletedBlob() throws Exception {
        EncodedBlob blob = blob(2, 3_000);
        Event.BlobRegistered registered = register(blob, true);
        upload(blob);
        SignedMessage signed = confirmation(blob.blobId(), "deletable/" + registered.objectId());
        assertThat(signed.serializedMessage()).isEqualTo(new StorageConfirmation(client.epoch().epoch(), blob.blobId(),
                BlobPersistence.deletable(ObjectId.parse(registered.objectId()))).toBcs());
        CommandOutcome deleted = client.submit(new Command.DeleteBlob(registered.objectId()), alice);
        long cursor = deleted.events().getFirst().cursor();
        await().atMost(StorageNodeApiTest.EVENT_TIMEOUT).until(() -> node.store().eventCursor() > cursor);
        assertThat(node.store().hasMetadata(blob.blobId())).isFalse();
        assertThat(send("GET", "/v1/blobs/" + blob.blobId() + "/metadata", null).statusCode()).isEqualTo(404);
        assertThat(new String(send("GET", "/v1/blobs/" + blob.blobId() + "/status", null).body()))
                .isEqualTo("{\"success\":{\"code\":200,\"data\":\"nonexistent\"}}");
    }
}
