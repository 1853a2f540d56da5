package io.tusk.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.core.crypto.BlsSignature;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ConfirmationCertificate;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.HttpTransportException;
import io.tusk.http.JsonHttpClient;
import io.tusk.http.TuskJson;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The client side of an upload relay (docs/upload-relay.md): one {@code POST /v1/blob-upload-relay} with the blob's
 * unencoded bytes, answered with the nodes' confirmation certificate in Walrus's relay response shape. The client
 * registered the blob before and certifies it after, with its own key; the relay never signs for it.
 */
final class UploadRelayClient {
    static final String PATH = "/v1/blob-upload-relay";
    static final String TIP_CONFIG_PATH = "/v1/tip-config";

    private final JsonHttpClient http;

    /** @param timeout for the whole upload (the relay encodes and writes to every node before it answers) */
    UploadRelayClient(URI relay, Duration timeout) {
        if (relay.getScheme() == null || !relay.getScheme().matches("https?") || relay.getHost() == null) {
            throw new IllegalArgumentException("the upload relay must be an http(s) URL, got '" + relay + "'");
        }
        this.http = JsonHttpClient.create(relay, timeout);
    }

    /**
     * Sends {@code body} (the blob's bytes, in order) and returns the certificate the relay gathered for
     * {@code blobId} with {@code persistence}. The caller checks it (the relay is not trusted).
     *
     * @throws io.tusk.http.ApiException if the relay refuses (its AIP-193 error)
     * @throws HttpTransportException if the relay does not answer, or answers something else than a certificate
     */
    ConfirmationCertificate upload(BlobId blobId, BlobPersistence persistence, ByteBuffer[] body,
                                   TuskClient.RelayTips.Paid paid) {
        String query = "?blob_id=" + blobId + switch (persistence) {
            case BlobPersistence.Deletable deletable -> "&deletable_blob_object="
                    + URLEncoder.encode(deletable.objectId().toString(), StandardCharsets.UTF_8);
            case BlobPersistence.Permanent permanent -> "";
        } + (paid == null ? "" : "&tx_id=" + URLEncoder.encode(paid.txId(), StandardCharsets.UTF_8) + "&nonce="
                + paid.nonce());
        JsonHttpClient.RawResponse answer = http.send("POST", PATH + query, body, "application/octet-stream",
                "application/json", Map.of());
        try {
            return certificate(TuskJson.mapper().readTree(answer.body()), blobId);
        } catch (IOException | RuntimeException e) {
            throw new HttpTransportException("the upload relay " + http.base() + " answered something else than a "
                    + "confirmation certificate for " + blobId + ": " + e.getMessage(), e);
        }
    }

    /**
     * The relay's {@code GET /v1/tip-config} (Walrus's {@code TipConfig}); no tip if the relay has no such route.
     *
     * @throws HttpTransportException if the relay does not answer, or answers something else than a tip config
     */
    RelayTip tipConfig() {
        JsonHttpClient.RawResponse answer;
        try {
            answer = http.send("GET", TIP_CONFIG_PATH, (byte[]) null, null, "application/json");
        } catch (io.tusk.http.ApiException e) {
            if (e.httpStatus() == 404) {
                return RelayTip.NONE; // a relay without the route asks no tip (it would refuse an unpaid upload)
            }
            throw e;
        }
        try {
            return RelayTip.fromJson(TuskJson.mapper().readTree(answer.body()), true);
        } catch (IOException | RuntimeException e) {
            throw new HttpTransportException("the upload relay " + http.base() + " answered something else than a "
                    + "tip config: " + e.getMessage(), e);
        }
    }

    URI base() {
        return http.base();
    }

    /** Walrus's relay answer: {@code {"blob_id", "confirmation_certificate": {signers, serialized_message, signature}}}. */
    static ConfirmationCertificate certificate(JsonNode root, BlobId blobId) {
        if (!blobId.toString().equals(root.path("blob_id").asText())) {
            throw new IllegalArgumentException("it names blob " + root.path("blob_id").asText());
        }
        JsonNode certificate = root.path("confirmation_certificate");
        List<Integer> signers = new ArrayList<>();
        certificate.path("signers").forEach(index -> signers.add(index.intValue()));
        JsonNode message = certificate.path("serialized_message");
        byte[] bytes = new byte[message.size()];
        for (int i = 0; i < bytes.length; i++) {
            int b = message.get(i).intValue();
            if (b < 0 || b > 255 || !message.get(i).isIntegralNumber()) {
                throw new IllegalArgumentException("serialized_message[" + i + "] is not a byte");
            }
            bytes[i] = (byte) b;
        }
        return new ConfirmationCertificate(signers, bytes,
                BlsSignature.fromBase64(certificate.path("signature").asText()));
    }
}
