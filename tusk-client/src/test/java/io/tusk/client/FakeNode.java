package io.tusk.client;

import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.encoding.InconsistencyProof;
import io.tusk.core.encoding.RecoverySymbol;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.node.client.NodeRequestException;
import io.tusk.node.client.StorageNodeClient;
import io.tusk.node.client.SymbolId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storage node as the SDK sees it, in memory: it keeps the metadata and the slivers of the pairs its shards hold,
 * signs real storage confirmations with a real BLS key, and misbehaves on demand as real nodes do (down, hung, lying,
 * late to see a registration). A fake of the SDK's peer, so that the SDK's own logic (hedged reads, quorum
 * collection) runs for real.
 */
final class FakeNode implements StorageNodeClient {
    enum Behaviour {
        /** Answers as a correct node. */
        HEALTHY,
        /** Refuses every connection. */
        DOWN,
        /** Never answers: each request blocks until its thread is interrupted. */
        HUNG,
        /** Answers, but with a corrupted byte in every sliver, and confirms a message of another epoch. */
        LYING
    }

    private final String address;
    private final BlsKeyPair key;
    private final int epoch;
    private final int shardCount;
    private final Set<Integer> shards;
    private final Map<BlobId, BlobMetadata> metadata = new ConcurrentHashMap<>();
    private final Map<String, Sliver> slivers = new ConcurrentHashMap<>();
    private volatile Behaviour behaviour = Behaviour.HEALTHY;
    private volatile CountDownLatch sliverGate = new CountDownLatch(0);
    /** Pairs whose slivers this node serves with a corrupted byte, however it behaves otherwise. */
    private final Set<Integer> corruptedPairs = ConcurrentHashMap.newKeySet();
    private final AtomicInteger notRegisteredAnswers = new AtomicInteger();
    private final AtomicInteger unavailableAnswers = new AtomicInteger();
    /** Every request, as "method pairs" (e.g. "slivers [0, 1]"), in the order they arrived. */
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** Requests that were blocked (HUNG) and then interrupted: the SDK gave up on them. */
    final AtomicInteger interrupted = new AtomicInteger();
    /** Requests that are blocked right now. */
    final AtomicInteger hanging = new AtomicInteger();

    FakeNode(String address, BlsKeyPair key, int epoch, int shardCount, Set<Integer> shards) {
        this.address = address;
        this.key = key;
        this.epoch = epoch;
        this.shardCount = shardCount;
        this.shards = Set.copyOf(shards);
    }

    /** Whether this node's shards hold pair {@code pair} of {@code blobId}. */
    boolean holdsPair(BlobId blobId, int pair) {
        return shards.contains(blobId.shardForPair(pair, shardCount));
    }

    /** Serves the slivers of {@code pair} with a corrupted byte from now on (a node whose disk rotted one sliver). */
    FakeNode corrupting(int pair) {
        corruptedPairs.add(pair);
        return this;
    }

    FakeNode behave(Behaviour next) {
        behaviour = next;
        return this;
    }

    /** The next {@code count} metadata stores are answered NOT_REGISTERED, as by a node that has not seen the event. */
    FakeNode lagBehindRegistration(int count) {
        notRegisteredAnswers.set(count);
        return this;
    }

    /** Answers batch sliver requests only once {@code gate} opens (a node slower than the others). */
    FakeNode answerSliversAfter(CountDownLatch gate) {
        sliverGate = gate;
        return this;
    }

    /** The next {@code count} requests of any kind are answered 503, as by a node that is briefly overloaded. */
    FakeNode failTransiently(int count) {
        unavailableAnswers.set(count);
        return this;
    }

    /** What the node holds of {@code blob} before any request: its metadata and the slivers of its pairs. */
    void hold(io.tusk.core.encoding.EncodedBlob blob) {
        metadata.put(blob.blobId(), blob.metadata().metadata());
        for (int pair = 0; pair < shardCount; pair++) {
            if (!holdsPair(blob.blobId(), pair)) {
                continue;
            }
            for (SliverType type : SliverType.values()) {
                slivers.put(key(blob.blobId(), pair, type), blob.pairs().get(pair).sliver(type));
            }
        }
    }

    boolean holdsEverything(BlobId blobId) {
        if (!metadata.containsKey(blobId)) {
            return false;
        }
        for (int pair = 0; pair < shardCount; pair++) {
            if (!holdsPair(blobId, pair)) {
                continue;
            }
            for (SliverType type : SliverType.values()) {
                if (!slivers.containsKey(key(blobId, pair, type))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String key(BlobId blobId, int pair, SliverType type) {
        return blobId + "/" + pair + "/" + type;
    }

    /** Whatever the behaviour asks before an answer: refuse, or hang until interrupted. */
    private void arrive(String request) {
        requests.add(request);
        if (unavailableAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw refused(503, "UNAVAILABLE", "overloaded, try again");
        }
        switch (behaviour) {
            case DOWN -> throw new NodeRequestException(address, 0, null, "connection refused", null);
            case HUNG -> {
                hanging.incrementAndGet();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    Thread.currentThread().interrupt();
                    throw new NodeRequestException(address, 0, null, "interrupted", e);
                } finally {
                    hanging.decrementAndGet();
                }
            }
            default -> { }
        }
    }

    private NodeRequestException refused(int status, String reason, String message) {
        return new NodeRequestException(address, status, reason, message, null);
    }

    private void checkPair(BlobId blobId, int pair) {
        if (!holdsPair(blobId, pair)) {
            throw refused(400, "SHARD_NOT_ASSIGNED", "pair " + pair + " is not held here");
        }
    }

    private Sliver served(Sliver sliver) {
        if (behaviour != Behaviour.LYING && !corruptedPairs.contains(sliver.pairIndex(shardCount))) {
            return sliver;
        }
        byte[] data = sliver.data().clone();
        data[0] ^= 1;
        return new Sliver(sliver.type(), sliver.index(), sliver.symbolSize(), data);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void storeMetadata(BlobId blobId, BlobMetadata value) {
        arrive("storeMetadata");
        if (notRegisteredAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw refused(400, "NOT_REGISTERED", "the blob has not been registered or has already expired");
        }
        metadata.put(blobId, value);
    }

    @Override
    public BlobMetadataWithId metadata(BlobId blobId) {
        arrive("metadata");
        BlobMetadata value = metadata.get(blobId);
        if (value == null) {
            throw refused(404, "METADATA_NOT_FOUND", "the requested metadata was not found");
        }
        if (behaviour == Behaviour.LYING) { // the metadata of another blob
            return new BlobMetadataWithId(BlobId.of(new byte[32]), value);
        }
        return new BlobMetadataWithId(blobId, value);
    }

    @Override
    public void storeSliver(BlobId blobId, int pairIndex, Sliver sliver) {
        arrive("storeSliver " + pairIndex);
        checkPair(blobId, pairIndex);
        slivers.put(key(blobId, pairIndex, sliver.type()), sliver);
    }

    @Override
    public Sliver sliver(BlobId blobId, int pairIndex, SliverType type) {
        arrive("sliver " + pairIndex);
        checkPair(blobId, pairIndex);
        Sliver sliver = slivers.get(key(blobId, pairIndex, type));
        if (sliver == null) {
            throw refused(404, "SLIVER_NOT_FOUND", "the requested sliver was not found");
        }
        return served(sliver);
    }

    @Override
    public List<Sliver> slivers(BlobId blobId, SliverType type, List<Integer> pairIndices, long maxBytes) {
        arrive("slivers " + pairIndices);
        try {
            sliverGate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeRequestException(address, 0, null, "interrupted", e);
        }
        List<Sliver> out = new ArrayList<>();
        long bytes = 0;
        for (int pair : pairIndices) {
            Sliver sliver = holdsPair(blobId, pair) ? slivers.get(key(blobId, pair, type)) : null;
            if (sliver == null) {
                continue;
            }
            if (!out.isEmpty() && bytes + sliver.data().length > maxBytes) {
                break; // as a node does: the answer stops at the budget, the client asks again for the rest
            }
            out.add(served(sliver));
            bytes += sliver.data().length;
        }
        if (out.isEmpty()) {
            throw refused(404, "SLIVER_NOT_FOUND", "none of the requested slivers is here");
        }
        return out;
    }

    @Override
    public SignedMessage confirmation(BlobId blobId, BlobPersistence persistence, Duration wait) {
        arrive("confirmation");
        if (!holdsEverything(blobId)) {
            throw refused(400, "MISSING_SLIVERS", "the node does not yet store all slivers of the blob");
        }
        int signedEpoch = behaviour == Behaviour.LYING ? epoch + 1 : epoch;
        byte[] message = new StorageConfirmation(signedEpoch, blobId, persistence).toBcs();
        return new SignedMessage(message, key.sign(message));
    }

    @Override
    public List<RecoverySymbol> recoverySymbols(BlobId blobId, List<SymbolId> ids, SliverType proofAxis) {
        throw new UnsupportedOperationException("the SDK does not ask for recovery symbols");
    }

    @Override
    public SignedMessage inconsistencyProof(BlobId blobId, InconsistencyProof proof) {
        throw new UnsupportedOperationException("the SDK does not send inconsistency proofs");
    }

    @Override
    public byte[] syncShard(BlsPublicKey caller, SignedMessage request) {
        throw new UnsupportedOperationException("the SDK does not sync shards");
    }

    @Override
    public String health() {
        arrive("health");
        return "{\"epoch\":" + epoch + ",\"publicKey\":\"" + key.publicKey().toBase64() + "\"}";
    }

    @Override
    public void close() {
    }

    /** The number of requests whose description starts with {@code prefix}. */
    long count(String prefix) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.startsWith(prefix)).count();
        }
    }

}
