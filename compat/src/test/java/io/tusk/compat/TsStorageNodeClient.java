package io.tusk.compat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code @mysten/walrus} 1.2.13 {@code StorageNodeClient} (Walrus's own TypeScript client), run in the oracle
 * process against a live node at {@code host:port} over plain HTTP (op {@code storageNode}, compat/ts-node-client.mjs).
 * Every call reports what the TS method returned or threw; nothing is interpreted here.
 */
final class TsStorageNodeClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final WalrusOracle oracle;
    private final String node;

    /** @param node {@code host:port} as the committee lists it (the SDK prepends {@code http://}) */
    TsStorageNodeClient(WalrusOracle oracle, String node) {
        this.oracle = Objects.requireNonNull(oracle, "oracle");
        this.node = Objects.requireNonNull(node, "node");
    }

    String node() {
        return node;
    }

    /** {@code storeBlobMetadata({blobId, metadata})} with the metadata as the SDK's parsed BCS object. */
    Outcome storeBlobMetadata(String blobId, byte[] blobMetadataBcs) {
        return call("storeBlobMetadata", blobId, Map.of(), blobMetadataBcs);
    }

    /** {@code storeSliver({blobId, sliverPairIndex, sliverType, sliver})} with the raw SliverData bytes, as the SDK uploads. */
    Outcome storeSliver(String blobId, int pair, String sliverType, byte[] sliverData) {
        return call("storeSliver", blobId, Map.of("sliverPairIndex", pair, "sliverType", sliverType,
                "bodyForm", "bytes"), sliverData);
    }

    /** {@code getBlobMetadata}: the result is a summary, payload 0 the SDK's re-serialized BlobMetadataWithId. */
    Outcome getBlobMetadata(String blobId) {
        return call("getBlobMetadata", blobId, Map.of(), null);
    }

    /** {@code getSliver}: payload 0 is the bytes the SDK got. */
    Outcome getSliver(String blobId, int pair, String sliverType) {
        return call("getSliver", blobId, Map.of("sliverPairIndex", pair, "sliverType", sliverType), null);
    }

    Outcome getBlobStatus(String blobId) {
        return call("getBlobStatus", blobId, Map.of(), null);
    }

    Outcome getMetadataStatus(String blobId) {
        return call("getMetadataStatus", blobId, Map.of(), null);
    }

    Outcome getSliverStatus(String blobId, int pair, String sliverType) {
        return call("getSliverStatus", blobId, Map.of("sliverPairIndex", pair, "sliverType", sliverType), null);
    }

    /** Also runs the SDK's acceptance check for {@code epoch} and the node's 48-byte BLS key (see {@link Outcome#sdkCheck}). */
    Outcome getPermanentBlobConfirmation(String blobId, long epoch, byte[] publicKey) {
        return call("getPermanentBlobConfirmation", blobId, Map.of("expectEpoch", epoch), publicKey);
    }

    Outcome getDeletableBlobConfirmation(String blobId, String objectId, long epoch, byte[] publicKey) {
        return call("getDeletableBlobConfirmation", blobId, Map.of("objectId", objectId, "expectEpoch", epoch),
                publicKey);
    }

    private Outcome call(String method, String blobId, Map<String, ?> extra, byte[] body) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("method", method);
        parameters.put("node", node);
        parameters.put("blobId", blobId);
        parameters.putAll(extra);
        WalrusOracle.Response response = oracle.call("storageNode", parameters,
                body == null ? List.of() : List.of(body), TIMEOUT);
        return new Outcome(method, response.fields(), response.payloads());
    }

    /** What one TS call did: {@code outcome} is {@code returned} or {@code threw}. */
    record Outcome(String method, Map<String, Object> fields, List<byte[]> payloads) {
        boolean returned() {
            return "returned".equals(fields.get("outcome"));
        }

        /** What the method returned (JSON-safe: maps, lists, strings, numbers). */
        Object result() {
            return fields.get("result");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> resultMap() {
            return (Map<String, Object>) fields.get("result");
        }

        byte[] bytes() {
            return payloads.get(0);
        }

        /** For confirmations: {hasSigned, expectedMessage, messageMatches, signatureValid}. */
        @SuppressWarnings("unchecked")
        Map<String, Object> sdkCheck() {
            return (Map<String, Object>) fields.get("sdkCheck");
        }

        /** The SDK error class name, e.g. {@code NotFoundError}, {@code BlobNotRegisteredError}. */
        String errorClass() {
            return (String) fields.get("errorClass");
        }

        Long status() {
            return fields.get("status") instanceof Number n ? n.longValue() : null;
        }

        /** {@code error.details[0].reason} of the AIP-193 body the SDK kept. */
        String reason() {
            return (String) fields.get("reason");
        }

        String message() {
            return (String) fields.get("message");
        }

        @Override
        public String toString() {
            return method + " -> " + fields;
        }
    }
}
