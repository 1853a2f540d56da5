package io.tusk.control.state;

import io.tusk.control.api.BlobAttribute;
import io.tusk.control.api.Command;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.messages.ObjectId;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The blob attributes concern (Walrus's {@code set-blob-attribute} and friends): string pairs kept on a blob object
 * by its owner, such as a {@code content-type} the aggregator serves as a header. Commands
 * {@code setBlobAttribute}, {@code removeBlobAttributeFields}, {@code removeBlobAttribute}; owner only, on an
 * unexpired object; no fee and no event (Walrus emits none: nothing follows attributes, readers ask). Table
 * {@code blob-attributes} (object ID → {@link BlobAttribute}); an object's attribute goes when the object is
 * deleted. Bounded so that one object cannot grow the state: at most {@value #MAX_PAIRS} pairs, keys of 1 to
 * {@value #MAX_KEY_BYTES} bytes and values of at most {@value #MAX_VALUE_BYTES} bytes (UTF-8).
 */
final class BlobAttributes {
    static final int MAX_PAIRS = 100;
    static final int MAX_KEY_BYTES = 256;
    static final int MAX_VALUE_BYTES = 4096;

    private final BlobRegistry blobs;
    private final Table<String, BlobAttribute> attributes;

    BlobAttributes(BlobRegistry blobs, StateView view) {
        this.blobs = blobs;
        this.attributes = new Table<>(view, "blob-attributes", StateCodec.ID, StateCodec.json(BlobAttribute.class));
    }

    void set(CommandContext ctx, Command.SetBlobAttribute c) throws Refusal {
        String objectId = blobs.ownedUnexpiredBlob(c.objectId(), ctx.sender).objectId();
        if (c.attributes().isEmpty()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "setBlobAttribute needs at least one pair");
        }
        Map<String, String> pairs = new LinkedHashMap<>(current(objectId).map(BlobAttribute::pairs).orElse(Map.of()));
        for (Map.Entry<String, String> pair : c.attributes().entrySet()) {
            requireSize("key", pair.getKey(), 1, MAX_KEY_BYTES);
            requireSize("value of '" + Text.abbreviate(pair.getKey()) + "'", pair.getValue(), 0, MAX_VALUE_BYTES);
            pairs.put(pair.getKey(), pair.getValue());
        }
        if (pairs.size() > MAX_PAIRS) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "blob object " + objectId + " would have " + pairs.size()
                    + " attribute pairs; at most " + MAX_PAIRS);
        }
        attributes.put(objectId, new BlobAttribute(objectId, pairs));
        ctx.commit(0);
    }

    void removeFields(CommandContext ctx, Command.RemoveBlobAttributeFields c) throws Refusal {
        String objectId = blobs.ownedUnexpiredBlob(c.objectId(), ctx.sender).objectId();
        if (c.keys().isEmpty()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "removeBlobAttributeFields needs at least one key");
        }
        BlobAttribute attribute = current(objectId).orElseThrow(() -> noAttribute(objectId));
        Map<String, String> pairs = new LinkedHashMap<>(attribute.pairs());
        for (String key : c.keys()) {
            if (pairs.remove(key) == null) { // as Walrus: removing a key that is not there is an error
                throw new Refusal(ErrorReason.TARGET_NOT_FOUND, "blob object " + objectId + "'s attribute has no key '"
                        + Text.abbreviate(String.valueOf(key)) + "'");
            }
        }
        attributes.put(objectId, new BlobAttribute(objectId, pairs));
        ctx.commit(0);
    }

    void remove(CommandContext ctx, Command.RemoveBlobAttribute c) throws Refusal {
        String objectId = blobs.ownedUnexpiredBlob(c.objectId(), ctx.sender).objectId();
        if (current(objectId).isEmpty()) {
            throw noAttribute(objectId);
        }
        attributes.delete(objectId);
        ctx.commit(0);
    }

    /** The object was deleted: its attribute goes with it (in the same batch). */
    void forget(String objectId) {
        String canonical = ObjectId.parse(objectId).toString();
        if (attributes.contains(canonical)) {
            attributes.delete(canonical);
        }
    }

    /** The object's attribute, if it has one. {@code objectId} in any form {@link ObjectId#parse} takes. */
    Optional<BlobAttribute> attribute(String objectId) {
        return current(ObjectId.parse(objectId).toString());
    }

    private Optional<BlobAttribute> current(String canonicalObjectId) {
        return attributes.find(canonicalObjectId);
    }

    private static Refusal noAttribute(String objectId) {
        return new Refusal(ErrorReason.TARGET_NOT_FOUND, "blob object " + objectId + " has no attribute");
    }

    private static void requireSize(String what, String text, int min, int max) throws Refusal {
        if (text == null) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "attribute " + what + " is missing");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < min || bytes > max) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "attribute " + what + " has " + bytes + " bytes; it must "
                    + "have " + min + " to " + max);
        }
    }
}
