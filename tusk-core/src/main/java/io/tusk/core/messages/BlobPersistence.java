package io.tusk.core.messages;

/**
 * Whether a confirmed blob is permanent or deletable (then with its blob object), the {@code blob_type} enum of a
 * Walrus storage confirmation: tag 0 {@code Permanent}, tag 1 {@code Deletable{object_id}}.
 */
public sealed interface BlobPersistence {
    Permanent PERMANENT = new Permanent();

    static Deletable deletable(ObjectId objectId) {
        return new Deletable(objectId);
    }

    record Permanent() implements BlobPersistence {
    }

    record Deletable(ObjectId objectId) implements BlobPersistence {
        public Deletable {
            if (objectId == null) {
                throw new IllegalArgumentException("a deletable blob needs its object ID");
            }
        }
    }
}
