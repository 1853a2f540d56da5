package io.tusk.control.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tusk.control.api.AccountInfo;
import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BucketInfo;
import io.tusk.control.api.ChainInfo;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommandEnvelope;
import io.tusk.control.api.CommandOutcome;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.EpochChangeInfo;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.Event;
import io.tusk.control.api.EventPage;
import io.tusk.control.api.Health;
import io.tusk.control.api.OwnedBlobs;
import io.tusk.control.api.OwnedBuckets;
import io.tusk.control.api.OwnedSpaces;
import io.tusk.control.api.PriceInfo;
import io.tusk.control.api.ReplicaChange;
import io.tusk.control.api.ReplicaStatus;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.api.SpaceHead;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.ApiException;
import io.tusk.http.HttpTransportException;
import io.tusk.http.JsonHttpClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Java client of the control plane's HTTP API (docs/network.md), over the shared {@link JsonHttpClient}, given one
 * replica URL or a list. It follows the leader among them and fails over by itself (see {@link ReplicaEndpoints}):
 * commands go to the leader (a follower answers {@code NOT_LEADER} naming it), queries to the same replica.
 *
 * <p>Submitting signs the command with the account key for the network's chain ID (asked once with
 * {@code GET /v1/chain}, then kept) at the account's next nonce (read linearizably), and sends the same signed bytes
 * until a replica gives a final answer, across timeouts and leader changes: the state answers a command it already
 * applied with its original outcome, so a command is applied once. If another command of the same account took the
 * nonce first ({@code BAD_NONCE}) it signs again at the new nonce, a few times; if the network behind the URLs changed
 * (a devnet made anew: {@code WRONG_CHAIN}) it asks the chain ID again.
 *
 * <p>Errors: a refused command or failed query throws {@link ApiException} (typed AIP-193: {@code reason()},
 * {@code is(ErrorReason)}, {@code isBadNonce()}); no replica answering within the failover budget throws
 * {@link HttpTransportException} (or the last 503 as {@link ApiException}). Thread-safe.
 */
public final class ControlClient implements AutoCloseable {
    /** How long after its wait a long poll may still be answered before it counts as lost. */
    private static final Duration LONG_POLL_GRACE = Duration.ofSeconds(2);
    /**
     * One attempt: longer than the control plane's own commit timeout (10 s), so a slow commit is answered by the
     * replica (503, outcome unknown) rather than cut by the client.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** How long a request keeps trying replicas: a leader election takes a few seconds. */
    public static final Duration DEFAULT_FAILOVER_BUDGET = Duration.ofSeconds(30);
    /** Signing again at a fresh nonce when another command of the account took ours. */
    private static final int NONCE_ATTEMPTS = 5;

    /** The largest page the control plane answers. */
    private static final int MAX_PAGE = 1000;

    private final ReplicaEndpoints replicas;
    /** The network's chain ID once asked; it never changes for a network. */
    private volatile String chainId;

    /** A client of one replica (a devnet, or a cluster's single entry point). */
    public ControlClient(URI baseUri) {
        this(List.of(baseUri));
    }

    /** @param timeout per attempt, on top of any long-poll wait */
    public ControlClient(URI baseUri, Duration timeout) {
        this(List.of(baseUri), timeout, DEFAULT_FAILOVER_BUDGET);
    }

    /** A client of the replicas at {@code replicaUrls} (any order; the leader is found). */
    public ControlClient(List<URI> replicaUrls) {
        this(replicaUrls, DEFAULT_TIMEOUT, DEFAULT_FAILOVER_BUDGET);
    }

    /**
     * @param timeout        per attempt, on top of any long-poll wait
     * @param failoverBudget how long one request may keep trying replicas before it fails
     */
    public ControlClient(List<URI> replicaUrls, Duration timeout, Duration failoverBudget) {
        this.replicas = new ReplicaEndpoints(replicaUrls, timeout, failoverBudget);
    }

    /** The replica requests go to first: the leader as far as this client knows. */
    public URI currentReplica() {
        return replicas.preferred();
    }

    /** Every replica URL this client knows (configured ones first, then leaders it was told of). */
    public List<URI> replicaUrls() {
        return replicas.urls();
    }

    // ------------------------------------------------------------------------------------------------ commands

    /**
     * Signs {@code command} with {@code signer} at the account's next nonce and submits it, once.
     *
     * @throws ApiException if the command is refused (reason as the control plane gave it)
     */
    public CommandOutcome submit(Command command, Ed25519KeyPair signer) {
        for (int attempt = 1; ; attempt++) {
            try {
                return submit(sign(chainId(), command, signer, nextNonce(signer)));
            } catch (ApiException e) {
                if (e.is(ErrorReason.WRONG_CHAIN)) {
                    chainId = null;
                } else if (!e.isBadNonce()) {
                    throw e;
                }
                if (attempt >= NONCE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Submits a command signed elsewhere, as is, resending the same bytes across failures until a replica answers
     * for good.
     */
    public CommandOutcome submit(SignedCommand command) {
        return replicas.call(http -> http.post("/v1/commands", command, CommandOutcome.class));
    }

    /** The signed form of {@code command} from {@code signer} at {@code nonce} for the network {@code chainId}. */
    public static SignedCommand sign(String chainId, Command command, Ed25519KeyPair signer, long nonce) {
        String sender = signer.publicKey().address().toString();
        byte[] payload;
        try {
            payload = ControlJson.mapper().writeValueAsBytes(new CommandEnvelope(chainId, sender, nonce, command));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a command envelope", e);
        }
        return new SignedCommand(payload, signer.publicKey().bytes(), signer.sign(payload));
    }

    /** The operator's signed form of a membership change (for {@link #changeReplicas}). */
    public static SignedCommand signReplicaChange(ReplicaChange change, Ed25519KeyPair admin) {
        byte[] payload;
        try {
            payload = ControlJson.mapper().writeValueAsBytes(change);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a replica change", e);
        }
        return new SignedCommand(payload, admin.publicKey().bytes(), admin.sign(payload));
    }

    private long nextNonce(Ed25519KeyPair signer) {
        return account(signer.publicKey().address().toString()).map(AccountInfo::nextNonce).orElse(0L);
    }

    // ------------------------------------------------------------------------------------------------ queries

    private <T> T get(String path, Class<T> type) {
        return replicas.call(http -> http.get(path, type));
    }

    /** The network's chain ID ({@code GET /v1/chain}), asked once and then kept. */
    public String chainId() {
        String known = chainId;
        if (known == null) {
            known = get("/v1/chain", ChainInfo.class).chainId();
            chainId = known;
        }
        return known;
    }

    public EpochInfo epoch() {
        return get("/v1/epoch", EpochInfo.class);
    }

    public CommitteeInfo committee() {
        return get("/v1/committee", CommitteeInfo.class);
    }

    /** The committee of the epoch before the current one, or empty in epoch 1. */
    public Optional<CommitteeInfo> previousCommittee() {
        return optional(() -> get("/v1/committee/previous", CommitteeInfo.class));
    }

    /** The committee the next epoch change would choose if it happened now. */
    public CommitteeInfo nextCommitteePreview() {
        return get("/v1/committee/next", CommitteeInfo.class);
    }

    /** The state of the change into the current epoch. */
    public EpochChangeInfo epochChange() {
        return get("/v1/epoch/change", EpochChangeInfo.class);
    }

    public PriceInfo prices() {
        return get("/v1/prices", PriceInfo.class);
    }

    /** The health of the replica requests go to (see {@link #replicaStatus(URI)} for a given one). */
    public Health health() {
        return get("/v1/health", Health.class);
    }

    /**
     * What replica {@code url} says of itself and of its group, asked once with a short timeout and no failover.
     *
     * @throws HttpTransportException if it does not answer
     */
    public static ReplicaStatus replicaStatus(URI url, Duration timeout) {
        try (JsonHttpClient http = JsonHttpClient.create(url, timeout)) {
            return http.get("/v1/replicas", ReplicaStatus.class);
        }
    }

    /** The group as the replica requests go to sees it. */
    public ReplicaStatus replicaStatus() {
        return get("/v1/replicas", ReplicaStatus.class);
    }

    /**
     * Sends an operator's signed {@link ReplicaChange} to the leader; returns once the group's new configuration is
     * committed.
     */
    public ReplicaStatus changeReplicas(SignedCommand signedChange) {
        return replicas.call(http -> http.post("/v1/replicas", signedChange, ReplicaStatus.class));
    }

    /** The account, or empty if it does not exist. */
    public Optional<AccountInfo> account(String address) {
        return optional(() -> get("/v1/accounts/" + address, AccountInfo.class));
    }

    /**
     * The account's accepted command at {@code nonce} (its index and events), linearizable; empty if it has none
     * there (never accepted, or older than the account's latest 1,000 accepted commands).
     */
    public Optional<io.tusk.control.api.AppliedCommand> appliedCommand(String address, long nonce) {
        return optional(() -> get("/v1/accounts/" + address + "/commands/" + nonce,
                io.tusk.control.api.AppliedCommand.class));
    }

    /** Every live blob object the account owns, in object-ID order (asks page after page). */
    public OwnedBlobs blobsOwnedBy(String address) {
        OwnedBlobs page = blobsOwnedBy(address, null, MAX_PAGE);
        List<BlobObject> all = new ArrayList<>(page.blobs());
        while (page.next() != null) {
            page = blobsOwnedBy(address, page.next(), MAX_PAGE);
            all.addAll(page.blobs());
        }
        return new OwnedBlobs(page.owner(), all);
    }

    /**
     * One page of the account's live blob objects: up to {@code limit} (1..1000) after object ID {@code after} (null:
     * from the first); {@link OwnedBlobs#next()} names where the next page starts.
     */
    public OwnedBlobs blobsOwnedBy(String address, String after, int limit) {
        return get("/v1/accounts/" + address + "/blobs?limit=" + limit + (after == null ? "" : "&after=" + after),
                OwnedBlobs.class);
    }

    public BlobInfo blob(BlobId blobId) {
        return get("/v1/blobs/" + blobId, BlobInfo.class);
    }

    /** The head of {@code owner}'s space {@code name}, or empty if there is no such space. */
    public Optional<SpaceHead> space(String owner, String name) {
        return optional(() -> get("/v1/spaces/" + owner + "/" + encodeSegment(name), SpaceHead.class));
    }

    /**
     * The head of {@code owner}'s space {@code name} with its inline versions after {@code inlineAfter}, or empty if
     * there is no such space.
     */
    public Optional<SpaceHead> space(String owner, String name, long inlineAfter) {
        return optional(() -> get("/v1/spaces/" + owner + "/" + encodeSegment(name) + "?inlineAfter=" + inlineAfter,
                SpaceHead.class));
    }

    /** The spaces {@code owner} owns, by name. */
    public OwnedSpaces spaces(String owner) {
        return get("/v1/accounts/" + owner + "/spaces", OwnedSpaces.class);
    }

    /** The S3 bucket {@code name} (its owner), or empty if no account has claimed it. */
    public Optional<BucketInfo> bucket(String name) {
        return optional(() -> get("/v1/buckets/" + encodeSegment(name), BucketInfo.class));
    }

    /** The S3 buckets {@code owner} owns, by name. */
    public OwnedBuckets buckets(String owner) {
        return get("/v1/accounts/" + owner + "/buckets", OwnedBuckets.class);
    }

    private static String encodeSegment(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The blob object, or empty if it does not exist (never registered, or deleted). */
    public Optional<BlobObject> object(String objectId) {
        return optional(() -> get("/v1/objects/" + objectId, BlobObject.class));
    }

    /** The blob object's attribute; empty if it has none (or the object does not exist). */
    public Optional<io.tusk.control.api.BlobAttribute> attribute(String objectId) {
        return optional(() -> get("/v1/objects/" + objectId + "/attribute", io.tusk.control.api.BlobAttribute.class));
    }

    /** The shared blob object with its blob and funds, or empty if there is none. */
    public Optional<io.tusk.control.api.SharedBlob> sharedBlob(String id) {
        return optional(() -> get("/v1/shared-blobs/" + id, io.tusk.control.api.SharedBlob.class));
    }

    /**
     * Events from cursor {@code from} on, at most {@code limit} (1..1000); if there are none yet, the server waits up
     * to {@code waitMillis} (0..30000) for one.
     */
    public EventPage events(long from, int limit, long waitMillis) {
        // The server answers by waitMillis at the latest; a poll still unanswered well after that was lost (a
        // connection that died with a restarting control plane), so it fails soon and the follower asks again.
        String path = "/v1/events?from=" + from + "&limit=" + limit + "&waitMillis=" + waitMillis;
        return replicas.call(http -> http.withTimeout(Duration.ofMillis(waitMillis).plus(LONG_POLL_GRACE))
                .get(path, EventPage.class));
    }

    /**
     * Follows the event stream from {@code from} until an event matching {@code predicate} appears, long-polling.
     *
     * @return the first matching event, or empty if none appeared within {@code timeout}
     */
    public Optional<Event> awaitEvent(long from, Predicate<Event> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long cursor = from;
        while (true) {
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            EventPage page = events(cursor, 1000, Math.min(left, 10_000));
            for (Event event : page.events()) {
                if (predicate.test(event)) {
                    return Optional.of(event);
                }
            }
            cursor = page.next();
            if (System.nanoTime() >= deadline && page.events().isEmpty()) {
                return Optional.empty();
            }
        }
    }

    private static <T> Optional<T> optional(Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (ApiException e) {
            if (e.is(ErrorReason.NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Closes the client's connections. */
    @Override
    public void close() {
        replicas.close();
    }
}
