package io.tusk.control.server;

import io.tusk.control.api.ChainInfo;
import io.tusk.control.api.CommandOutcome;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.EventPage;
import io.tusk.control.api.ReplicaChange;
import io.tusk.control.api.ReplicaStatus;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.EventsPrunedException;
import io.tusk.core.api.ErrorDomains;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.ApiError;
import io.tusk.http.HttpServerBuilder;
import io.tusk.http.Request;
import io.tusk.http.Response;
import io.tusk.http.RouteOptions;
import io.tusk.http.ServerMetrics;
import io.tusk.http.TuskHttpServer;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * The control plane's HTTP API (docs/network.md) of one replica, served by the shared {@code tusk-http} stack: success
 * envelope {@code {"success":{"code":200,"data":…}}}, AIP-193 errors in domain {@code control.tusk.dev}, a body limit
 * on commands, unknown JSON fields rejected.
 *
 * <p>Commands go to the leader: a follower answers 503 {@code NOT_LEADER} naming it. Accounts, blobs and objects are
 * read linearizably (Raft read index) on any replica; the epoch, committees, prices and events from the replica's
 * applied state, which lags the leader only by what it has not applied yet. A replica that does not serve (no leader,
 * a failed log, a full disk) answers 503 {@code UNAVAILABLE} with the reason; {@code /v1/health} and
 * {@code /v1/replicas} always answer.
 */
public final class ControlHttpApi {
    public static final int DEFAULT_PORT = 9180;
    /** A signed command is at most 64 KiB of payload, base64-encoded inside JSON. */
    public static final long MAX_COMMAND_BODY_BYTES = 128 * 1024;
    public static final int DEFAULT_EVENT_LIMIT = 100;
    public static final int MAX_EVENT_LIMIT = 1000;
    public static final long MAX_WAIT_MILLIS = 30_000;
    /** The most blob objects one page of {@code /v1/accounts/{address}/blobs} holds. */
    public static final int MAX_PAGE = 1000;

    private final ControlReplica replica;
    private final ReplicaChangeVerifier changes;
    private final ControlMetrics metrics;

    private ControlHttpApi(ControlReplica replica, ReplicaChangeVerifier changes, ControlMetrics metrics) {
        this.replica = replica;
        this.changes = changes;
        this.metrics = metrics;
    }

    /**
     * Starts serving {@code replica} on {@code host:port} (port 0 picks a free one), with its meters in
     * {@code metrics} at {@code GET /metrics}. The caller closes all three.
     *
     * @param adminAddress the genesis admin account: only it may change the group's membership
     * @param chainId      the network's chain ID, which membership changes must name
     */
    public static TuskHttpServer start(ControlReplica replica, String adminAddress, String chainId, String host,
                                       int port, ServerMetrics metrics) {
        ControlHttpApi api = new ControlHttpApi(replica, new ReplicaChangeVerifier(adminAddress, chainId,
                java.time.Clock.systemUTC()), new ControlMetrics(metrics, replica));
        RouteOptions longPoll = RouteOptions.timeout(Duration.ofMillis(MAX_WAIT_MILLIS + 10_000));
        return HttpServerBuilder.create("control")
                .host(host)
                .port(port)
                .domain(ErrorDomains.CONTROL)
                .metrics(metrics)
                .parameterErrors(ErrorReason.INVALID_ARGUMENT)
                .maxBodyBytes(0)
                .post("/v1/commands", RouteOptions.maxBody(MAX_COMMAND_BODY_BYTES), r -> api.serve(() -> api.submit(r)))
                .get("/v1/chain", r -> api.local(s -> new ChainInfo(s.chainId())))
                .get("/v1/epoch", r -> api.local(s -> s.epochInfo()))
                .get("/v1/committee", r -> api.local(s -> s.committee()))
                .get("/v1/committee/previous", r -> api.local(s -> s.previousCommittee().orElseThrow(() ->
                        new ApiError(ErrorReason.NOT_FOUND, "epoch 1 has no previous committee"))))
                .get("/v1/committee/next", r -> api.local(s -> s.nextCommitteePreview()))
                .get("/v1/epoch/change", r -> api.local(s -> s.epochChange()))
                .get("/v1/prices", r -> api.local(s -> s.prices()))
                .get("/v1/accounts/{address}", r -> api.serve(() -> api.account(r)))
                .get("/v1/accounts/{address}/blobs", r -> api.serve(() -> api.ownedBlobs(r)))
                .get("/v1/accounts/{address}/commands/{nonce}", r -> api.serve(() -> api.appliedCommand(r)))
                .get("/v1/accounts/{address}/spaces", r -> api.serve(() -> api.ownedSpaces(r)))
                .get("/v1/spaces/{owner}/{name}", r -> api.serve(() -> api.space(r)))
                .get("/v1/accounts/{address}/buckets", r -> api.serve(() -> api.ownedBuckets(r)))
                .get("/v1/buckets/{name}", r -> api.serve(() -> api.bucket(r)))
                .get("/v1/blobs/{blobId}", r -> api.serve(() -> api.blob(r)))
                .get("/v1/objects/{objectId}", r -> api.serve(() -> api.object(r)))
                .get("/v1/objects/{objectId}/attribute", r -> api.serve(() -> api.attribute(r)))
                .get("/v1/shared-blobs/{id}", r -> api.serve(() -> api.sharedBlob(r)))
                .get("/v1/events", longPoll, r -> api.serve(() -> api.events(r)))
                .get("/v1/health", r -> Response.ok(replica.health()))
                .get("/v1/replicas", r -> Response.ok(replica.status()))
                .post("/v1/replicas", RouteOptions.maxBody(16 * 1024).withTimeout(Duration.ofSeconds(90)),
                        r -> api.serve(() -> api.changeMembership(r)))
                .start();
    }

    /** A handler whose replica may refuse. */
    @FunctionalInterface
    private interface Handler {
        Response handle() throws Exception;
    }

    /**
     * Runs {@code handler}, answering a replica's refusals as 503: {@code NOT_LEADER} with the leader's ID and URL in
     * the metadata (the client resends there), {@code UNAVAILABLE} with the reason.
     */
    private Response serve(Handler handler) throws Exception {
        try {
            return handler.handle();
        } catch (NotLeaderException e) {
            ApiError error = new ApiError(ErrorReason.NOT_LEADER, e.getMessage());
            if (e.leaderId().isPresent()) {
                error = error.withMetadata("leaderId", e.leaderId().get());
            }
            if (e.leaderUrl().isPresent()) {
                error = error.withMetadata("leaderUrl", e.leaderUrl().get().toString());
            }
            throw error;
        } catch (ReplicaUnavailableException e) {
            throw new ApiError(ErrorReason.UNAVAILABLE, e.getMessage());
        }
    }

    /** A query of this replica's applied state (may lag the leader by what it has not applied yet). */
    private Response local(Function<ControlState, Object> query) throws Exception {
        return serve(() -> Response.ok(replica.query(ControlReplica.Read.LOCAL, query)));
    }

    /** A linearizable query: it sees every command committed before it started, whichever replica answers. */
    private <T> T linearizable(Function<ControlState, T> query) {
        return replica.query(ControlReplica.Read.LINEARIZABLE, query);
    }

    private Response submit(Request request) {
        SignedCommand command = parseSignedCommand(request);
        CommandResult result = metrics.timed(command, () -> replica.submit(command));
        return switch (result) {
            case CommandResult.Accepted a -> Response.ok(new CommandOutcome(a.index(), a.events()));
            case CommandResult.Refused r -> throw new ApiError(r.reason(), r.message());
        };
    }

    private static SignedCommand parseSignedCommand(Request request) {
        try {
            return ControlJson.mapper().readValue(request.body(), SignedCommand.class);
        } catch (IOException e) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "the body is not a SignedCommand: " + firstLine(e));
        }
    }

    private Response changeMembership(Request request) {
        ReplicaChange change = changes.verify(parseSignedCommand(request));
        try {
            ReplicaStatus status = ReplicaChange.ADD.equals(change.action()) ? replica.addReplica(change.replica())
                    : replica.removeReplica(change.replica().id());
            return Response.ok(status);
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorReason.ILLEGAL_TRANSITION, e.getMessage());
        }
    }

    private Response account(Request request) {
        String address = request.pathParam("address", text -> Address.parse(text).toString());
        return Response.ok(linearizable(s -> s.account(address)).orElseThrow(() ->
                new ApiError(ErrorReason.NOT_FOUND, "account " + address + " does not exist")));
    }

    /**
     * One accepted command's outcome by (sender, nonce), linearizable: a payment the payer saw accepted is found by
     * whoever asks next, on any replica. From the state on disk (the outcome's key, then its own events).
     */
    private Response appliedCommand(Request request) {
        String address = request.pathParam("address", text -> Address.parse(text).toString());
        long nonce = request.pathParam("nonce", text -> {
            long n = Long.parseLong(text);
            if (n < 0) {
                throw new IllegalArgumentException("a nonce is not negative");
            }
            return n;
        });
        try {
            return Response.ok(linearizable(s -> s.appliedCommand(address, nonce)).orElseThrow(() ->
                    new ApiError(ErrorReason.NOT_FOUND, address + " has no accepted command at nonce " + nonce
                            + " (never accepted, or older than its latest 1,000)")));
        } catch (EventsPrunedException e) {
            throw new ApiError(ErrorReason.EVENTS_PRUNED, "the command at nonce " + nonce + " of " + address
                    + " is older than the events this replica keeps: " + e.getMessage());
        }
    }

    private Response ownedBlobs(Request request) {
        String address = request.pathParam("address", text -> Address.parse(text).toString());
        request.rejectUnknownQuery("after", "limit");
        String after = request.query("after", text -> ObjectId.parse(text).toString()).orElse(null);
        int limit = (int) request.queryLong("limit", 1, MAX_PAGE).orElse(MAX_PAGE);
        return Response.ok(linearizable(s -> s.blobsOwnedBy(address, after, limit)));
    }

    private Response ownedSpaces(Request request) {
        String address = request.pathParam("address", text -> Address.parse(text).toString());
        return Response.ok(linearizable(s -> s.spacesOwnedBy(address)));
    }

    private Response space(Request request) {
        String owner = request.pathParam("owner", text -> Address.parse(text).toString());
        String name = request.pathParam("name");
        request.rejectUnknownQuery("inlineAfter");
        long inlineAfter = request.queryLong("inlineAfter", 0, Long.MAX_VALUE).orElse(-1);
        return Response.ok(linearizable(s -> s.spaceHead(owner, name, inlineAfter)).orElseThrow(() ->
                new ApiError(ErrorReason.NOT_FOUND, owner + " has no space named '" + abbreviate(name) + "'")));
    }

    private Response ownedBuckets(Request request) {
        String address = request.pathParam("address", text -> Address.parse(text).toString());
        return Response.ok(linearizable(s -> s.bucketsOwnedBy(address)));
    }

    private Response bucket(Request request) {
        String name = request.pathParam("name");
        return Response.ok(linearizable(s -> s.bucket(name)).orElseThrow(() ->
                new ApiError(ErrorReason.NOT_FOUND, "there is no bucket '" + abbreviate(name) + "'")));
    }

    private Response blob(Request request) {
        BlobId blobId = request.pathParam("blobId", BlobId::parse);
        return Response.ok(linearizable(s -> s.blobInfo(blobId)));
    }

    private Response object(Request request) {
        String objectId = request.pathParam("objectId", text -> ObjectId.parse(text).toString());
        return Response.ok(linearizable(s -> s.blobObject(objectId)).orElseThrow(() ->
                new ApiError(ErrorReason.NOT_FOUND, "no blob object " + objectId)));
    }

    private Response attribute(Request request) {
        String objectId = request.pathParam("objectId", text -> ObjectId.parse(text).toString());
        return Response.ok(linearizable(s -> s.blobAttribute(objectId)).orElseThrow(() ->
                new ApiError(ErrorReason.NOT_FOUND, "blob object " + objectId + " has no attribute")));
    }

    private Response sharedBlob(Request request) {
        String id = request.pathParam("id", text -> ObjectId.parse(text).toString());
        return Response.ok(linearizable(s -> s.sharedBlob(id)).orElseThrow(() ->
                new ApiError(ErrorReason.NOT_FOUND, "no shared blob " + id)));
    }

    private Response events(Request request) throws InterruptedException {
        request.rejectUnknownQuery("from", "limit", "waitMillis");
        long from = request.queryLong("from", 0, Long.MAX_VALUE).orElse(0);
        int limit = (int) request.queryLong("limit", 1, MAX_EVENT_LIMIT).orElse(DEFAULT_EVENT_LIMIT);
        long wait = request.queryLong("waitMillis", 0, MAX_WAIT_MILLIS).orElse(0);
        EventPage page;
        try {
            page = replica.events(from, limit, wait);
        } catch (EventsPrunedException e) {
            throw new ApiError(ErrorReason.EVENTS_PRUNED, e.getMessage());
        }
        return Response.ok(page);
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }
}
