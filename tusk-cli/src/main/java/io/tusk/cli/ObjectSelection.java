package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobObject;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;

import java.util.List;
import java.util.function.Predicate;

/** Picks the blob objects a command acts on: one by {@code --object-id}, or those this account owns of a blob ID. */
final class ObjectSelection {
    private ObjectSelection() {}

    static List<ObjectId> select(TuskClient client, String blobId, String objectId, Predicate<BlobObject> suitable, String what) {
        if ((blobId == null) == (objectId == null)) {
            throw new IllegalArgumentException("give either a BLOB_ID or --object-id, not both or neither");
        }
        if (objectId != null) {
            try {
                return List.of(ObjectId.parse(objectId));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--object-id: " + e.getMessage());
            }
        }
        String id;
        try {
            id = BlobId.parse(blobId).toString();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BLOB_ID: " + e.getMessage());
        }
        List<ObjectId> objects = client.listBlobs().blobs().stream()
                .filter(b -> b.blobId().equals(id)).filter(suitable).map(b -> ObjectId.parse(b.id())).toList();
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("this account owns no " + what + " object of blob " + id);
        }
        return objects;
    }
}
