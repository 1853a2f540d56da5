package io.tusk.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tusk.core.messages.SignedMessage;
import io.tusk.node.service.CommitteeView;
import io.tusk.node.store.BlobStatus;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * The JSON shapes of the Walrus node API that are not plain strings (walrus-node-api.md §2.7, §2.8, §2.12), in serde's
 * field names and order: the Walrus TS client compares some of them as strings.
 */
final class NodeJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private NodeJson() {
    }

    /** {@code {"serializedMessage":…,"signature":…}}, standard padded base64. */
    static ObjectNode signed(SignedMessage signed) {
        ObjectNode node = JSON.objectNode();
        node.put("serializedMessage", signed.serializedMessageBase64());
        node.put("signature", signed.signatureBase64());
        return node;
    }

    /** A confirmation's data: the signed message under {@code signed}. */
    static ObjectNode confirmation(SignedMessage signed) {
        ObjectNode data = JSON.objectNode();
        data.set("signed", signed(signed));
        return data;
    }

    static JsonNode text(String value) {
        return JSON.textNode(value);
    }

    static JsonNode blobStatus(BlobStatus status) {
        return switch (status) {
            case BlobStatus.Nonexistent n -> JSON.textNode("nonexistent");
            case BlobStatus.Invalid invalid -> {
                ObjectNode root = JSON.objectNode();
                root.putObject("invalid").set("event", eventId(invalid.event()));
                yield root;
            }
            case BlobStatus.Permanent p -> {
                ObjectNode root = JSON.objectNode();
                ObjectNode body = root.putObject("permanent");
                body.put("endEpoch", p.endEpoch());
                body.put("isCertified", p.isCertified());
                body.set("statusEvent", eventId(p.statusEvent()));
                body.set("deletableCounts", counts(p.deletableCounts()));
                putEpoch(body, "initialCertifiedEpoch", p.initialCertifiedEpoch());
                yield root;
            }
            case BlobStatus.Deletable d -> {
                ObjectNode root = JSON.objectNode();
                ObjectNode body = root.putObject("deletable");
                putEpoch(body, "initialCertifiedEpoch", d.initialCertifiedEpoch());
                body.set("deletableCounts", counts(d.deletableCounts()));
                yield root;
            }
        };
    }

    private static void putEpoch(ObjectNode node, String field, Long epoch) {
        if (epoch == null) {
            node.putNull(field);
        } else {
            node.put(field, epoch);
        }
    }

    private static ObjectNode counts(BlobStatus.DeletableCounts counts) {
        // DeletableCounts has no serde rename in Walrus: its keys stay snake_case.
        ObjectNode node = JSON.objectNode();
        node.put("count_deletable_total", counts.total());
        node.put("count_deletable_certified", counts.certified());
        return node;
    }

    /**
     * A Walrus {@code EventID} for a control-plane event: Tusk has no Sui transactions, so the digest is the event
     * cursor as a 32-byte big-endian number in base58, and the sequence is always {@code "0"}.
     */
    static ObjectNode eventId(long cursor) {
        byte[] digest = new byte[32];
        ByteBuffer.wrap(digest, 24, 8).putLong(cursor);
        ObjectNode node = JSON.objectNode();
        node.put("txDigest", Base58.encode(digest));
        node.put("eventSeq", "0");
        return node;
    }

    /**
     * {@code GET /v1/health}'s data. Every owned shard is reported {@code ready}; shards the node still stores but no
     * longer owns are {@code readOnly}.
     *
     * @param eventCursor the next event the node will apply (so {@code cursor - 1} is the last one finished)
     */
    static ObjectNode health(long uptimeNanos, CommitteeView view, String publicKey, long eventCursor,
                             java.util.Collection<Integer> storedShards, boolean detailed) {
        ObjectNode data = JSON.objectNode();
        ObjectNode uptime = data.putObject("uptime");
        uptime.put("secs", uptimeNanos / 1_000_000_000L);
        uptime.put("nanos", uptimeNanos % 1_000_000_000L);
        data.put("epoch", view.epoch());
        data.put("publicKey", publicKey);
        data.put("nodeStatus", view.isKnown() && !view.ownedShards().isEmpty() ? "Active" : "Standby");
        ObjectNode progress = data.putObject("eventProgress");
        progress.put("persisted", eventCursor);
        progress.put("pending", 0);
        if (eventCursor > 0) {
            progress.put("highestFinishedEventIndex", eventCursor - 1);
        } else {
            progress.putNull("highestFinishedEventIndex");
        }
        Set<Integer> owned = view.ownedShards();
        ObjectNode summary = data.putObject("shardSummary");
        summary.put("owned", owned.size());
        ObjectNode ownedStatus = summary.putObject("ownedShardStatus");
        ownedStatus.put("unknown", 0);
        ownedStatus.put("ready", owned.size());
        ownedStatus.put("inTransfer", 0);
        ownedStatus.put("inRecovery", 0);
        List<Integer> other = storedShards.stream().filter(shard -> !owned.contains(shard)).toList();
        summary.put("readOnly", other.size());
        if (detailed) {
            ObjectNode detail = data.putObject("shardDetail");
            ArrayNode ownedArray = detail.putArray("owned");
            for (int shard : owned) {
                ownedArray.addObject().put("shard", shard).put("status", "ready");
            }
            ArrayNode otherArray = detail.putArray("other");
            for (int shard : other) {
                otherArray.addObject().put("shard", shard).put("status", "readOnly");
            }
        }
        return data;
    }

    /**
     * Tusk's addition to Walrus's health: whether the disk takes writes (with the error while it does not) and the
     * corrupt data found and dropped for recovery since start.
     */
    static void putStoreHealth(ObjectNode node, io.tusk.node.store.StoreHealth.Snapshot health) {
        node.put("writable", health.writable());
        health.writeFailure().ifPresent(f -> {
            node.put("writeError", f.message());
            node.put("failingSinceMillis", f.sinceMillis());
        });
        node.put("corruptSliversDropped", health.corruptSlivers());
        node.put("corruptMetadataDropped", health.corruptMetadata());
        node.put("familiesRecreated", health.familiesRecreated());
    }
}
