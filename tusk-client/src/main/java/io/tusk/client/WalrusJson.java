package io.tusk.client;

import io.tusk.control.api.BlobStatus;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.QuiltPatchInfo;

import java.util.ArrayList;
import java.util.List;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Walrus's JSON shapes, shared by the CLI's {@code --json} output and the gateway's answers (camelCase, as
 * {@code walrus --json} prints them; the patch list uses Walrus's snake_case {@code patch_id}). Plain maps and lists,
 * serialised by whichever Jackson mapper the caller uses.
 */
public final class WalrusJson {
    private WalrusJson() {}

    /** {@code BlobStoreResult}: exactly one key, {@code newlyCreated} or {@code alreadyCertified}. */
    public static Map<String, Object> storeResult(StoreResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (result) {
            case StoreResult.NewlyCreated created -> {
                body.put("blobObject", created.blobObject());
                body.put("resourceOperation", resourceOperation(created.resourceOperation()));
                body.put("cost", created.cost());
                return Map.of("newlyCreated", body);
            }
            case StoreResult.AlreadyCertified certified -> {
                // Walrus names the certifying event, or for a deletable blob the client owns, its object; Tusk's
                // client always knows the object, so the object form is used.
                body.put("blobId", certified.blobId());
                body.put("object", certified.objectId());
                body.put("endEpoch", certified.endEpoch());
                return Map.of("alreadyCertified", body);
            }
        }
    }

    /** {@code RegisterBlobOp}: {@code {"registerFromScratch": {encodedLength, epochsAhead}}} or {@code {"reuseRegistration": {encodedLength}}}. */
    private static Map<String, Object> resourceOperation(StoreResult.ResourceOperation operation) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("encodedLength", operation.encodedLength());
        return switch (operation) {
            case StoreResult.ResourceOperation.RegisterFromScratch scratch -> {
                fields.put("epochsAhead", scratch.epochsAhead());
                yield Map.of("registerFromScratch", fields);
            }
            case StoreResult.ResourceOperation.ReuseRegistration reuse -> Map.of("reuseRegistration", fields);
        };
    }

    /**
     * {@code QuiltStoreResult}: {@code {"blobStoreResult": …, "storedQuiltBlobs": [{"identifier", "quiltPatchId",
     * "range": [start, end]}]}} (Walrus's {@code range} is optional: the patch's column range, end exclusive).
     */
    public static Map<String, Object> quiltStoreResult(QuiltStoreResult result) {
        List<Map<String, Object>> patches = new ArrayList<>();
        for (StoredQuiltPatch patch : result.storedQuiltBlobs()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("identifier", patch.identifier());
            entry.put("quiltPatchId", patch.quiltPatchId().toString());
            entry.put("range", List.of(patch.startIndex(), patch.endIndex()));
            patches.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("blobStoreResult", storeResult(result.blobStoreResult()));
        body.put("storedQuiltBlobs", patches);
        return body;
    }

    /** Walrus's {@code QuiltPatchItem} list: {@code [{"identifier", "patch_id", "tags"}]}, as the aggregator lists patches. */
    public static List<Map<String, Object>> quiltPatchItems(BlobId quiltId, List<QuiltPatchInfo> patches) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (QuiltPatchInfo patch : patches) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("identifier", patch.identifier());
            entry.put("patch_id", patch.patchId(quiltId).toString());
            entry.put("tags", patch.tags());
            out.add(entry);
        }
        return out;
    }

    /** {@code markedInvalid{blobId, event}}; the event is named by Tusk's control-plane cursor. */
    public static Map<String, Object> markedInvalid(String blobId, BlobStatus.Invalid invalid) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("blobId", blobId);
        body.put("event", invalid.event());
        return Map.of("markedInvalid", body);
    }
}
