package io.tusk.cli;

import io.tusk.client.QuiltStoreResult;
import io.tusk.client.StoreResult;
import io.tusk.client.StoredQuiltPatch;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.QuiltPatchInfo;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * {@code QuiltStoreResult}: {@code {"blobStoreResult": …, "storedQuiltBlobs": [{"identifier", "quiltPatchId",
     * "range": [start, end]}]}} (Walrus's {@code range} is optional: the patch's column range, end exclusive).
     */
    static Map<String, Object> quiltStoreResult(QuiltStoreResult result) {
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
    static List<Map<String, Object>> quiltPatchItems(BlobId quiltId, List<QuiltPatchInfo> patches) {
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
}
