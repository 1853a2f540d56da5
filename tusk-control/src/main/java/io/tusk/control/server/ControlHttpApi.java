package io.tusk.control.server;

import io.tusk.control.api.ChainInfo;
import io.tusk.control.api.CommandOutcome;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.EventPage;
import io.tusk.control.api.Health;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
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

/**
 * The control plane's HTTP API (docs/network.md), served by the shared {@code tusk-http} stack: success envelope
 * {@code {"success":{"code":200,"data":…}}}, AIP-193 errors in domain {@code control.tusk.dev}, a body limit on
 * commands, unknown JSON fields rejected.
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

    private final ControlPlane plane;
    private final ControlMetrics metrics;

    private ControlHttpApi(ControlPlane plane, ControlMetrics metrics) {
        this.plane = plane;
        this.metrics = metrics;
    }

    /**
     * Starts serving {@code plane} on {@code host:port} (port 0 picks a free one), with its meters in {@code metrics}
     * at {@code GET /metrics}. The caller closes all three.
     */
    public static TuskHttpServer start(ControlPlane plane, String host, int port, ServerMetrics metrics) {
        ControlHttpApi api = new ControlHttpApi(plane, new ControlMetrics(metrics, plane));
        RouteOptions longPoll = RouteOptions.timeout(Duration.ofMillis(MAX_WAIT_MILLIS + 10_000));
        return HttpServerBuilder.create("control")
                .host(host)
                .port(port)
                .domain(ErrorDomains.CONTROL)
                .metrics(metrics)
                .parameterErrors(ErrorReason.INVALID_ARGUMENT)
                .maxBodyBytes(0)
                .post("/v1/commands", RouteOptions.maxBody(MAX_COMMAND_BODY_BYTES), api::submit)
                .get("/v1/chain", r -> Response.ok(new ChainInfo(plane.read(s -> s.chainId()))))
                .get("/v1/epoch", r -> Response.ok(plane.read(s -> s.epochInfo())))
                .get("/v1/committee", r -> Response.ok(plane.read(s -> s.committee())))
                .get("/v1/committee/previous", r -> Response.ok(plane.read(s -> s.previousCommittee()).orElseThrow(() ->
                        new ApiError(ErrorReason.NOT_FOUND, "epoch 1 has no previous committee"))))
                .get("/v1/committee/next", r -> Response.ok(plane.read(s -> s.nextCommitteePreview())))
                .get("/v1/epoch/change", r -> Response.ok(plane.read(s -> s.epochChange())))
                .get("/v1/prices", r -> Response.ok(plane.read(s -> s.prices())))
                .get("/v1/accounts/{address}", api::account)
                .get("/v1/accounts/{address}/blobs", api::ownedBlobs)
                .get("/v1/accounts/{address}/spaces", api::ownedSpaces)
                .get("/v1/spaces/{owner}/{name}", api::space)
                .get("/v1/accounts/{address}/buckets", api::ownedBuckets)
                .get("/v1/buckets/{name}", api::bucket)
                .get("/v1/blobs/{blobId}", api::blob)
                .get("/v1/objects/{objectId}", api::object)
                .get("/v1/events", longPoll, api::events)
                .get("/v1/health", r -> Response.ok(plane.read(s -> new Health("serving", s.epoch(),
                        s.lastAppliedIndex() + 1, s.eventCount()))))
                .start();
    }

    private Response submit(Request request) throws IOException {
        SignedCommand command;
        try {
            command = ControlJson.mapper().readValue(request.body(), SignedCommand.class);
        } catch (IOException e) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "the body is not a SignedCommand: " + firstLine(e));
        }
        CommandResult result;
        try {
            result = metrics.timed(command, () -> plane.submit(command));
        } catch (IOException e) {
            throw new ApiError(ErrorReason.UNAVAILABLE, "the control plane cannot write its journal", e);
        }
        return switch (result) {
            case CommandResult.Accepted a -> Response.ok(new CommandOutcome(a.index(), a.events()));
            case CommandResult.Refused r -> throw new ApiError(r.reason(), r.message());
        };
    }

    private Response account(Request request) {
        String address = request.pathParam("address", text -> Address.parse(text).toString());
        return Response.ok(plane.read(s -> s.account(address)).orElseThrow(() ->
                new ApiError(ErrorReason.NOT_FOUND, "account " + address + " does not exist")));
    }

    private Response ownedBlobs(Request request) {
        String address = request.pathParam("address", text -> Address.parse(text).toString());
        request.rejectUnknownQuery("after", "limit");
        String after = request.query("after", text -> ObjectId.parse(text).toString()).orElse(null);
        int limit = (int) request.queryLong("limit", 1, MAX_PAGE).orElse(MAX_PAGE);
        return Response.ok(plane.read(s -> s.blobsOwnedBy(address, after, limit)));
    }

    private Response ownedSpaces(Request request) {
        String address = request.pathParam("address", text -> Address.parse(text).toString());
        return Response.ok(plane.read(s -> s.spacesOwnedBy(address)));
    }

    private Response space(Request request) {
        String owner = request.pathParam("owner", text -> Address.parse(text).toString());
        String name = request.pathParam("name");
        return Response.ok(plane.read(s -> s.spaceHead(owner, name)).orElseThrow(() ->
                new ApiError(ErrorReason.NOT_FOUND, owner + " has no space named '" + abbreviate(name) + "'")));
    }

    private Response ownedBuckets(Request request) {
        String address = request.pathParam("address", text -> Address.parse(text).toString());
        return Response.ok(plane.read(s -> s.bucketsOwnedBy(address)));
    }

    private Response bucket(Request request) {
        String name = request.pathParam("name");
        return Response.ok(plane.read(s -> s.bucket(name)).orElseThrow(() ->
                new ApiError(ErrorReason.NOT_FOUND, "there is no bucket '" + abbreviate(name) + "'")));
    }

    private Response blob(Request request) {
        BlobId blobId = request.pathParam("blobId", BlobId::parse);
        return Response.ok(plane.read(s -> s.blobInfo(blobId)));
    }

    private Response object(Request request) {
        String objectId = request.pathParam("objectId", text -> ObjectId.parse(text).toString());
        return Response.ok(plane.read(s -> s.blobObject(objectId)).orElseThrow(() ->
                new ApiError(ErrorReason.NOT_FOUND, "no blob object " + objectId)));
    }

    private Response events(Request request) throws InterruptedException {
        request.rejectUnknownQuery("from", "limit", "waitMillis");
        long from = request.queryLong("from", 0, Long.MAX_VALUE).orElse(0);
        int limit = (int) request.queryLong("limit", 1, MAX_EVENT_LIMIT).orElse(DEFAULT_EVENT_LIMIT);
        long wait = request.queryLong("waitMillis", 0, MAX_WAIT_MILLIS).orElse(0);
        EventPage page;
        try {
            page = plane.events(from, limit, wait);
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
