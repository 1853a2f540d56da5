package io.tusk.control.state;

import org.rocksdb.RocksDBException;

/**
 * RocksDB failed under the control state (a full or failing disk, corruption). A write that fails leaves the state on
 * disk at the last whole command, but the state refuses further commands until it is reopened.
 */
public final class StateStoreException extends RuntimeException {
    StateStoreException(String what, RocksDBException cause) {
        super("control state: " + what + " failed: " + cause.getMessage(), cause);
    }
}
