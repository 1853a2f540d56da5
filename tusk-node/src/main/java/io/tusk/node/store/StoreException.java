package io.tusk.node.store;

/** A RocksDB failure or corrupt stored value; the node answers such failures with 500 INTERNAL_ERROR. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
