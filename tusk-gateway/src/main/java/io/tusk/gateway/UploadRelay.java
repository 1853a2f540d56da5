package io.tusk.gateway;

import io.tusk.client.StoreException;
import io.tusk.client.TuskClient;
import io.tusk.client.WalrusJson;
import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.encoding.BlobTooLargeException;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ConfirmationCertificate;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.ApiError;
import io.tusk.http.ApiException;
import io.tusk.http.HttpRejection;
import io.tusk.http.HttpTransportException;
import io.tusk.http.Request;
import io.tusk.http.Response;
import io.tusk.node.client.NodeRequestException;

import io.tusk.client.RelayTip;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.util.Optional;
import java.util.Set;

/**
 * Walrus's upload relay for thin clients (docs/upload-relay.md): {@code POST /v1/blob-upload-relay?blob_id=B
 * [&deletable_blob_object=O]} takes a registered blob's unencoded bytes once, encodes them (bounded memory: large
 * bodies are encoded from a temporary file), writes metadata and slivers to the committee and answers the nodes'
 * confirmation certificate. It registers and certifies nothing: the client does both with its own key, so the blob
 * stays the client's and the relay spends no funds. Only registered blobs are relayed (nodes would refuse the
 * slivers anyway), so the relay's work is bounded by what its users paid the network for. {@code GET
 * /v1/tip-config} answers Walrus's {@code TipConfig}: {@code "no_tip"} by default; with a tip configured every upload
 * names the {@code transfer} that paid it ({@code tx_id}, {@code nonce}), checked by {@link RelayPayments}.
 */
final class UploadRelay {
    /** Walrus's relay parameters; {@code tx_id} and {@code nonce} name the payment of a tip (ignored without one). */
    private static final Set<String> PARAMETERS = Set.of("blob_id", "deletable_blob_object", "encoding_type",
            "tx_id", "nonce");

    private final TuskClient client;
    private final RequestLimiter limiter;
    private final GatewayMetrics metrics;
    /** Null for a relay without a tip. */
    private final RelayPayments payments;

    UploadRelay(TuskClient client, RequestLimiter limiter, GatewayMetrics metrics, RelayPayments payments) {
        this.client = client;
        this.limiter = limiter;
        this.metrics = metrics;
        this.payments = payments;
    }

    /** {@code GET /v1/tip-config}: Walrus's {@code TipConfig} ({@code "no_tip"} or {@code {"send_tip": ...}}). */
    Response tipConfig(Request request) {
        return Response.json(200, payments == null ? RelayTip.NONE.toJson() : payments.tip().toJson());
    }

    /** {@code POST /v1/blob-upload-relay}: see the class comment. */
    Response upload(Request request) {
        for (String name : request.queryNames()) {
            if (!PARAMETERS.contains(name)) {
                throw malformed("unknown query parameter '" + name + "'; the relay takes " + PARAMETERS);
            }
        }
        BlobId blobId = request.query("blob_id").map(UploadRelay::blobId)
                .orElseThrow(() -> malformed("blob_id is required (the blob ID the client registered)"));
        Optional<String> encoding = request.query("encoding_type");
        if (encoding.isPresent() && !encoding.get().equalsIgnoreCase("RS2")) {
            throw new ApiError(ErrorReason.UNSUPPORTED_ENCODING_TYPE, "encoding_type must be RS2, got '"
                    + encoding.get() + "'");
        }
        BlobPersistence persistence = request.query("deletable_blob_object")
                .<BlobPersistence>map(id -> new BlobPersistence.Deletable(objectId(id)))
                .orElse(new BlobPersistence.Permanent());
        long length = request.contentLength().orElseThrow(() -> new HttpRejection(411,
                "the relay needs the body's Content-Length (the blob's size) before it reads it"));
        requireRegistered(blobId, persistence, length);
        RelayPayments.Payment payment = payments == null ? null
                : payments.admit(request.query("tx_id"), request.query("nonce"), length, shardCount());
        boolean relayed = false;
        try (RequestLimiter.Permit permit = limiter.acquire(); InputStream in = request.bodyStream()) {
            ConfirmationCertificate certificate;
            if (payment == null) {
                certificate = client.relayUpload(in, length, blobId, persistence);
            } else {
                DigestInputStream digesting = new DigestInputStream(in, RelayTip.sha256());
                certificate = client.relayUpload(digesting, length, blobId, persistence,
                        () -> RelayPayments.requireBlob(payment, digesting.getMessageDigest().digest()));
            }
            relayed = true;
            metrics.stored("relayed", length);
            return Response.json(200, WalrusJson.relayResponse(blobId, certificate));
        } catch (IOException e) {
            throw malformed("the request body ended or failed before its " + length + " bytes: " + e.getMessage());
        } catch (BlobTooLargeException e) {
            throw new ApiError(ErrorReason.BLOB_TOO_LARGE, e.getMessage());
        } catch (StoreException | NodeRequestException e) {
            throw new ApiError(ErrorReason.INSUFFICIENT_CONFIRMATIONS, e.getMessage() + "; please retry");
        } catch (IllegalArgumentException e) { // the bytes are another blob
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, e.getMessage());
        } catch (HttpTransportException e) {
            throw new ApiError(ErrorReason.UNAVAILABLE, "the control plane could not be reached: " + e.getMessage()
                    + "; please retry");
        } finally {
            if (payment != null && !relayed) {
                payments.release(payment); // the upload did not complete: the payment may pay for a retry
            }
        }
    }

    private int shardCount() {
        try {
            return client.shardCount();
        } catch (ApiException | HttpTransportException e) {
            throw new ApiError(ErrorReason.UNAVAILABLE, "the control plane could not be reached: " + e.getMessage()
                    + "; please retry");
        }
    }

    /**
     * The blob must be registered for this persistence and size: for a deletable blob, the named object of this
     * blob; for a permanent one, any permanent object of it. Checked before the body is read.
     */
    private void requireRegistered(BlobId blobId, BlobPersistence persistence, long length) {
        BlobInfo info;
        try {
            info = client.status(blobId);
        } catch (ApiException | HttpTransportException e) {
            throw new ApiError(ErrorReason.UNAVAILABLE, "the control plane could not be asked about blob " + blobId
                    + ": " + e.getMessage() + "; please retry");
        }
        Optional<BlobObject> object = info.objects().stream().filter(o -> switch (persistence) {
            case BlobPersistence.Deletable deletable -> o.deletable() && o.id().equals(deletable.objectId().toString());
            case BlobPersistence.Permanent permanent -> !o.deletable();
        }).findFirst();
        if (object.isEmpty()) {
            throw new ApiError(ErrorReason.NOT_REGISTERED, "blob " + blobId + " has no " + switch (persistence) {
                case BlobPersistence.Deletable deletable -> "deletable object " + deletable.objectId();
                case BlobPersistence.Permanent permanent -> "permanent registration";
            } + "; register it with your own key first (the relay only writes registered blobs)");
        }
        if (object.get().size() != length) {
            throw malformed("the body has " + length + " bytes, blob " + blobId + " was registered with "
                    + object.get().size());
        }
    }

    private static BlobId blobId(String text) {
        try {
            return BlobId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorReason.INVALID_ID_FORMAT, "blob_id is not a blob ID: " + e.getMessage());
        }
    }

    private static ObjectId objectId(String text) {
        try {
            return ObjectId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorReason.INVALID_ID_FORMAT, "deletable_blob_object is not an object ID: "
                    + e.getMessage());
        }
    }

    private static ApiError malformed(String message) {
        return new ApiError(ErrorReason.MALFORMED_REQUEST, message);
    }
}
