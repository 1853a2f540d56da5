package io.tusk.core.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Every AIP-193 {@code ErrorInfo.reason} a Tusk service answers, each with its status (so with its HTTP code).
 *
 * <p>A few wire reasons are answered with two statuses depending on the operation (Walrus answers
 * {@code METADATA_NOT_FOUND} with 404 on reads but 400 FAILED_PRECONDITION on writes). Each such pairing is its own
 * constant, and {@link #reason()} gives the wire string, which may differ from {@link #name()}. The domain comes
 * from the server that answers, except for the few reasons that have a {@link #fixedDomain()}.
 */
public enum ErrorReason {
    // ---- storage node, walrus-node-api.md section 2.15 ----
    INVALID_CONTENT_TYPE(ApiStatus.INVALID_ARGUMENT),
    INDEX_OUT_OF_RANGE(ApiStatus.INVALID_ARGUMENT),
    SHARD_NOT_ASSIGNED(ApiStatus.FAILED_PRECONDITION),
    NOT_REGISTERED(ApiStatus.FAILED_PRECONDITION),
    MISSING_SLIVERS(ApiStatus.FAILED_PRECONDITION),
    CACHE_SATURATED(ApiStatus.FAILED_PRECONDITION),
    INVALID_METADATA(ApiStatus.INVALID_ARGUMENT),
    INVALID_BLOB(ApiStatus.FAILED_PRECONDITION),
    UNSUPPORTED_ENCODING_TYPE(ApiStatus.INVALID_ARGUMENT),
    /** On reads: the node has no metadata for the blob. */
    METADATA_NOT_FOUND(ApiStatus.NOT_FOUND),
    /** On writes and inconsistency proofs: metadata is needed first (wire reason {@code METADATA_NOT_FOUND}). */
    MISSING_METADATA("METADATA_NOT_FOUND", ApiStatus.FAILED_PRECONDITION, null),
    INVALID_SLIVER(ApiStatus.INVALID_ARGUMENT),
    SLIVER_INDEX_MISMATCH(ApiStatus.INVALID_ARGUMENT),
    SLIVER_TOO_LARGE(ApiStatus.INVALID_ARGUMENT),
    SYMBOL_NOT_PRESENT_AT_SHARDS(ApiStatus.FAILED_PRECONDITION),
    NO_SYMBOLS_SPECIFIED(ApiStatus.FAILED_PRECONDITION),
    INVALID_FILTER(ApiStatus.INVALID_ARGUMENT),
    NO_TARGET_SLIVERS_SPECIFIED(ApiStatus.FAILED_PRECONDITION),
    RECOVERY_SYMBOL_OUT_OF_RANGE(ApiStatus.INVALID_ARGUMENT),
    INVALID_PROOF(ApiStatus.INVALID_ARGUMENT),
    SLIVER_COUNT_EXCEEDS_LIMIT(ApiStatus.INVALID_ARGUMENT),
    MESSAGE_VERIFICATION_FAILED(ApiStatus.INVALID_ARGUMENT),
    /** Metadata {@code {"request_epoch":n,"server_epoch":m}}. */
    INVALID_EPOCH(ApiStatus.INVALID_ARGUMENT),
    SLIVER_NOT_FOUND(ApiStatus.NOT_FOUND),
    REQUEST_UNAUTHORIZED(ApiStatus.PERMISSION_DENIED),
    FORBIDDEN_BLOB(ApiStatus.UNAVAILABLE_FOR_LEGAL_REASONS),
    /** A limiter is full; retry later. */
    UNAVAILABLE(ApiStatus.UNAVAILABLE),
    /** Any service; the message never carries details, the trace ID goes in a {@code DebugInfo}. */
    INTERNAL_ERROR(ApiStatus.INTERNAL),

    // ---- control plane, docs/network.md: a refused command answers 400 ----
    /**
     * This control-plane replica does not order commands (it is a follower): 503, metadata {@code leaderId} and
     * {@code leaderUrl} name the leader when the replica knows it. Clients resend the same request there.
     */
    NOT_LEADER(ApiStatus.UNAVAILABLE),
    INVALID_SIGNATURE(ApiStatus.INVALID_ARGUMENT),
    UNKNOWN_ACCOUNT(ApiStatus.FAILED_PRECONDITION),
    BAD_NONCE(ApiStatus.FAILED_PRECONDITION),
    /** A command signed for another network: its envelope's chain ID is not this network's. */
    WRONG_CHAIN(ApiStatus.FAILED_PRECONDITION),
    /** Events from a cursor the control plane no longer keeps: catch up from the state, then follow events. */
    EVENTS_PRUNED(ApiStatus.FAILED_PRECONDITION),
    INSUFFICIENT_BALANCE(ApiStatus.FAILED_PRECONDITION),
    NOT_OWNER(ApiStatus.FAILED_PRECONDITION),
    ILLEGAL_TRANSITION(ApiStatus.FAILED_PRECONDITION),
    INVALID_CERTIFICATE(ApiStatus.INVALID_ARGUMENT),
    /** A query for something that does not exist (404). */
    NOT_FOUND(ApiStatus.NOT_FOUND),
    /** A command naming something that does not exist: 400, wire reason {@code NOT_FOUND}. */
    TARGET_NOT_FOUND("NOT_FOUND", ApiStatus.FAILED_PRECONDITION, null),
    /** Malformed or out-of-range request content (bad JSON, unknown field, bad value). */
    INVALID_ARGUMENT(ApiStatus.INVALID_ARGUMENT),
    /** A space commit built on a version that is no longer the head (409): re-apply the changes on the new head. */
    VERSION_CONFLICT(ApiStatus.ABORTED),
    /** A space holds as many inline versions as it may: fold them into a manifest blob, or commit one (409). */
    INLINE_VERSIONS_FULL(ApiStatus.ABORTED),
    /** Creating something whose name is taken, e.g. a space (409). */
    ALREADY_EXISTS(ApiStatus.ALREADY_EXISTS),

    // ---- gateway (publisher/aggregator), walrus-node-api.md section 3 ----
    BLOB_NOT_FOUND(ApiStatus.NOT_FOUND),
    BLOB_UNAVAILABLE(ApiStatus.UNAVAILABLE),
    QUILT_PATCH_NOT_FOUND(ApiStatus.NOT_FOUND),
    BLOB_TOO_LARGE(ApiStatus.SIZE_EXCEEDED),
    /** A bad {@code Range} header: 416. */
    INVALID_BYTE_RANGE(ApiStatus.RANGE_NOT_SATISFIABLE),
    /** Bad {@code byte-range} query parameters: 400, wire reason {@code INVALID_BYTE_RANGE}. */
    INVALID_BYTE_RANGE_QUERY("INVALID_BYTE_RANGE", ApiStatus.INVALID_ARGUMENT, null),
    INVALID_CONSISTENCY_CHECK(ApiStatus.INVALID_ARGUMENT),
    INVALID_ID_FORMAT(ApiStatus.INVALID_ARGUMENT),
    OBJECT_ID_RESOLUTION_FAILED(ApiStatus.NOT_FOUND),
    BLOB_READ_FAILED(ApiStatus.INTERNAL),
    SLIVER_RETRIEVAL_FAILED(ApiStatus.INTERNAL),
    INSUFFICIENT_CONFIRMATIONS(ApiStatus.DEADLINE_EXCEEDED),
    MALFORMED_REQUEST(ApiStatus.INVALID_ARGUMENT),
    INVALID_BLOB_PERSISTENCE(ApiStatus.INVALID_ARGUMENT),
    /** Tusk's: the gateway's limit of running plus queued requests is reached; retry later (429). */
    TOO_MANY_REQUESTS(ApiStatus.RESOURCE_EXHAUSTED),
    /** Tusk's: the storage nodes did not deliver a blob within the gateway's read timeout (504); retry. */
    NODES_TIMED_OUT(ApiStatus.DEADLINE_EXCEEDED),
    /** Tusk's: the blob ID was marked invalid (inconsistently encoded); it has no content and never will (451). */
    BLOB_INVALID(ApiStatus.UNAVAILABLE_FOR_LEGAL_REASONS),

    // ---- upload relay tips (docs/upload-relay.md): Tusk's, Walrus's relay names none on the wire
    /** The relay asks a tip and the upload names no payment ({@code tx_id} and {@code nonce}) (400). */
    TIP_REQUIRED(ApiStatus.FAILED_PRECONDITION),
    /** The payment named is not a transfer the control plane knows (never accepted, or too old to look up) (400). */
    TIP_UNKNOWN(ApiStatus.FAILED_PRECONDITION),
    /** The payment is less than this upload's tip (400). */
    TIP_INSUFFICIENT(ApiStatus.FAILED_PRECONDITION),
    /** The payment went to another address than the relay's (400). */
    TIP_WRONG_RECIPIENT(ApiStatus.FAILED_PRECONDITION),
    /** The payment's memo does not bind this upload (its nonce, length or blob digest) (400). */
    TIP_NOT_FOR_BLOB(ApiStatus.FAILED_PRECONDITION),
    /** The payment is older than the relay accepts (400). */
    TIP_EXPIRED(ApiStatus.FAILED_PRECONDITION),
    /** The payment already paid for an upload (409). */
    TIP_ALREADY_USED(ApiStatus.ALREADY_EXISTS),

    // ---- spaces on the gateway (docs/spaces.md)
    /** Tusk's: no space of that name for that owner (404). */
    SPACE_NOT_FOUND(ApiStatus.NOT_FOUND),
    /** Tusk's: the version read has no entry with that key (404). */
    ENTRY_NOT_FOUND(ApiStatus.NOT_FOUND),
    /** Tusk's: only a space's owner (the gateway's account) may change it (403). */
    NOT_SPACE_OWNER(ApiStatus.PERMISSION_DENIED),
    /** Tusk's: an If-Match / If-None-Match condition does not hold on the head; nothing was committed. */
    CONDITION_NOT_MET(ApiStatus.FAILED_PRECONDITION),
    /** Tusk's: an encrypted space or entry cannot be read (no owner key here, or the entry was forgotten). */
    SPACE_KEY_UNAVAILABLE(ApiStatus.FAILED_PRECONDITION),
    /** Tusk's: stored bytes of a space do not match what refers to them (500: the network served bad data). */
    SPACE_VERIFICATION_FAILED(ApiStatus.INTERNAL),

    // ---- memory on the gateway (docs/memory.md)
    /** Tusk's: the collection has no current memory with that id (never remembered, or forgotten) (404). */
    MEMORY_NOT_FOUND(ApiStatus.NOT_FOUND),
    /** Tusk's: a vector whose dimension is not the one the collection fixed; nothing was written (400). */
    DIMENSION_MISMATCH(ApiStatus.INVALID_ARGUMENT),
    /** Tusk's: a recall's {@code minSequence} was not reached within its wait (504); retry later. */
    SEQUENCE_NOT_REACHED(ApiStatus.DEADLINE_EXCEEDED),

    // ---- publisher JWT authentication (domain auth.publisher.walrus.space) ----
    // Walrus's reason names; every refusal is 401 UNAUTHENTICATED in Tusk (the issue's contract: "without a token,
    // or with a bad one: 401"), where Walrus answers some with 400, 429 or 504 (docs/gateway.md says which).
    /** Tusk's: no {@code Authorization: Bearer} token on a route that needs one. */
    MISSING_TOKEN("MISSING_TOKEN", ApiStatus.UNAUTHENTICATED, ErrorDomains.AUTH),
    INVALID_EXPIRATION("INVALID_EXPIRATION", ApiStatus.UNAUTHENTICATED, ErrorDomains.AUTH),
    INVALID_EPOCHS("INVALID_EPOCHS", ApiStatus.UNAUTHENTICATED, ErrorDomains.AUTH),
    INVALID_SIZE("INVALID_SIZE", ApiStatus.UNAUTHENTICATED, ErrorDomains.AUTH),
    INVALID_SEND_OBJECT_TO("INVALID_SEND_OBJECT_TO", ApiStatus.UNAUTHENTICATED, ErrorDomains.AUTH),
    INCONSISTENT_TOKEN("INCONSISTENT_TOKEN", ApiStatus.UNAUTHENTICATED, ErrorDomains.AUTH),
    INVALID_TOKEN("INVALID_TOKEN", ApiStatus.UNAUTHENTICATED, ErrorDomains.AUTH),
    INVALID_TIMESTAMP("INVALID_TIMESTAMP", ApiStatus.UNAUTHENTICATED, ErrorDomains.AUTH),
    /** A JWT whose signature does not verify: 401, wire reason {@code INVALID_SIGNATURE}. */
    INVALID_TOKEN_SIGNATURE("INVALID_SIGNATURE", ApiStatus.UNAUTHENTICATED, ErrorDomains.AUTH),
    EXPIRED_SIGNATURE("EXPIRED_SIGNATURE", ApiStatus.UNAUTHENTICATED, ErrorDomains.AUTH),
    TOKEN_ALREADY_USED("TOKEN_ALREADY_USED", ApiStatus.UNAUTHENTICATED, ErrorDomains.AUTH);

    private final String reason;
    private final ApiStatus status;
    private final String fixedDomain;

    ErrorReason(ApiStatus status) {
        this(null, status, null);
    }

    ErrorReason(String reason, ApiStatus status, String fixedDomain) {
        this.reason = reason == null ? name() : reason;
        this.status = status;
        this.fixedDomain = fixedDomain;
    }

    /** The wire string of {@code ErrorInfo.reason}. */
    public String reason() {
        return reason;
    }

    public ApiStatus status() {
        return status;
    }

    public int httpStatus() {
        return status.httpStatus();
    }

    /** The domain this reason always uses, or {@code null} when it takes the answering server's domain. */
    public String fixedDomain() {
        return fixedDomain;
    }

    /** The constants whose wire string is {@code reason} (usually one; two for a reason used with two statuses). */
    public static List<ErrorReason> forWire(String reason) {
        List<ErrorReason> out = new ArrayList<>(2);
        for (ErrorReason r : values()) {
            if (r.reason.equals(reason)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The constant for a wire reason and HTTP code as a client receives them, or {@code null} if none matches. */
    public static ErrorReason forWire(String reason, int httpStatus) {
        for (ErrorReason r : values()) {
            if (r.reason.equals(reason) && r.status.httpStatus() == httpStatus) {
                return r;
            }
        }
        return null;
    }
}
