package io.tusk.node.recovery;

import io.tusk.core.failpoint.FailPoints;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.core.bcs.BcsReader;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.InconsistencyProof;
import io.tusk.core.encoding.RecoverySymbol;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.http.JsonHttpClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committee of one epoch as recovery sees it: each member's HTTP client, key, shards and index (for certificate
 * signers), and which member is this node. HTTP clients are kept per network address across epochs.
 */
final class Peers implements AutoCloseable {
    /** A committee member. {@code self} is this node. */
    record Peer(int index, String name, String address, BlsPublicKey key, List<Integer> shards, boolean self,
                JsonHttpClient http) {
        int weight() {
            return shards.size();
        }

        @Override
        public String toString() {
            return name + "@" + address;
        }
    }

    private final Map<String, JsonHttpClient> clients = new ConcurrentHashMap<>();
    private final Duration timeout;
    private volatile Snapshot current;

    record Snapshot(long epoch, int shardCount, List<Peer> members, Peer[] ownerOfShard) {
        Peer owner(int shard) {
            return ownerOfShard[shard];
        }
    }

    Peers(Duration timeout) {
        this.timeout = timeout;
    }

    Snapshot current() {
        return current;
    }

    /** Replaces the committee (if its epoch or membership changed). */
    Snapshot update(CommitteeInfo committee, BlsPublicKey self) {
        Snapshot existing = current;
        if (existing != null && existing.epoch() == committee.epoch() && existing.members().size() == committee.members().size()) {
            return existing;
        }
        List<Peer> members = new ArrayList<>();
        Peer[] owners = new Peer[committee.shardCount()];
        List<CommitteeMember> list = committee.members();
        for (int i = 0; i < list.size(); i++) {
            CommitteeMember m = list.get(i);
            String address = m.networkAddress();
            JsonHttpClient http = clients.computeIfAbsent(address, a -> JsonHttpClient.create(
                    URI.create(a.contains("://") ? a : "http://" + a), Duration.ofSeconds(3), timeout));
            Peer peer = new Peer(i, m.name(), address, BlsPublicKey.fromBytes(m.blsPublicKey()), List.copyOf(m.shards()),
                    Arrays.equals(m.blsPublicKey(), self.bytes()), http);
            members.add(peer);
            for (int shard : m.shards()) {
                owners[shard] = peer;
            }
        }
        Snapshot snapshot = new Snapshot(committee.epoch(), committee.shardCount(), List.copyOf(members), owners);
        current = snapshot;
        return snapshot;
    }

    // ---- requests ----

    /** The peer's verified-ID metadata (the caller verifies the hashes). Counts the bytes. */
    static BlobMetadataWithId metadata(Peer peer, BlobId blobId, RecoveryMetrics metrics) {
        byte[] body = peer.http().getBytes("/v1/blobs/" + blobId + "/metadata");
        metrics.metadataFetched(body.length);
        BlobMetadataWithId parsed = BlobMetadataWithId.fromBcs(body);
        if (!parsed.blobId().equals(blobId)) {
            throw new IllegalStateException(peer + " answered metadata of blob " + parsed.blobId() + " for " + blobId);
        }
        return parsed;
    }

    /**
     * Symbols by ID ({@code primary-secondary}) proven against slivers of {@code proofAxis}. The answer is parsed but
     * not verified.
     */
    static List<RecoverySymbol> symbols(Peer peer, BlobId blobId, Collection<String> ids, SliverType proofAxis,
                                        RecoveryMetrics metrics) {
        FailPoints.hit("node.recovery-fetch");
        StringBuilder path = new StringBuilder("/v1/blobs/").append(blobId).append("/recoverySymbols?proofAxis=")
                .append(proofAxis.wireName());
        for (String id : ids) {
            path.append("&id=").append(id);
        }
        byte[] body = peer.http().getBytes(path.toString());
        metrics.symbolsFetched(body.length);
        BcsReader r = new BcsReader(body);
        int count = (int) r.uleb128(EncodingConfig.MAX_SHARDS * 4L);
        List<RecoverySymbol> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(RecoverySymbol.readBcs(r));
        }
        r.expectEnd();
        return out;
    }

    /** Posts an inconsistency proof; the answer is the peer's signed invalid-blob-ID message (not yet verified). */
    static SignedMessage postProof(Peer peer, BlobId blobId, InconsistencyProof proof) {
        JsonNode data = peer.http().postBytes("/v1/blobs/" + blobId + "/inconsistencyProof/"
                + proof.targetType().wireName(), proof.toBcs(), JsonNode.class);
        return SignedMessage.fromBase64(data.path("serializedMessage").asText(), data.path("signature").asText());
    }

    @Override
    public void close() {
        clients.values().forEach(JsonHttpClient::close);
        clients.clear();
    }
}
