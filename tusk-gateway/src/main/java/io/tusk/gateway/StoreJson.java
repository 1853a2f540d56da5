package io.tusk.gateway;

import io.tusk.client.StoreResult;
import io.tusk.control.api.BlobStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/** Walrus's {@code BlobStoreResult} JSON (camelCase, exactly one key), walrus-node-api.md section 3.1. */
final class StoreJson {
    private StoreJson() {}

    static Map<String, Object> of(StoreResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (result) {
            case StoreResult.NewlyCreated created -> {
                Map<String, Object> fromScratch = new LinkedHashMap<>();
                fromScratch.put("encodedLength", created.encodedLength());
                fromScratch.put("epochsAhead", created.epochsAhead());
                body.put("blobObject", created.blobObject());
                body.put("resourceOperation", Map.of("registerFromScratch", fromScratch));
                body.put("cost", created.cost());
                return Map.of("newlyCreated", body);
            }
            case StoreResult.AlreadyCertified certified -> {
                // Walrus names the certifying event, or for a deletable blob the publisher owns, its object; Tusk's
                // client always knows the object, so the object form is used.
                body.put("blobId", certified.blobId());
                body.put("object", certified.objectId());
                body.put("endEpoch", certified.endEpoch());
                return Map.of("alreadyCertified", body);
            }
        }
    }

    /** {@code markedInvalid{blobId, event}}; the event is named by Tusk's control-plane cursor. */
    static Map<String, Object> markedInvalid(String blobId, BlobStatus.Invalid invalid) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("blobId", blobId);
        body.put("event", invalid.event());
        return Map.of("markedInvalid", body);
    }
}
