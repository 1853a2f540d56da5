package io.tusk.cli;

import io.tusk.client.StoreResult;

import java.util.LinkedHashMap;
import java.util.Map;

/** Walrus's JSON shapes for CLI and gateway output (camelCase, as {@code walrus --json} prints them). */
final class WalrusJson {
    private WalrusJson() {}

    /** {@code BlobStoreResult}: exactly one key, {@code newlyCreated} or {@code alreadyCertified}. */
    static Map<String, Object> storeResult(StoreResult result) {
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
                body.put("blobId", certified.blobId());
                body.put("object", certified.objectId());
                body.put("endEpoch", certified.endEpoch());
                return Map.of("alreadyCertified", body);
            }
        }
    }
}
