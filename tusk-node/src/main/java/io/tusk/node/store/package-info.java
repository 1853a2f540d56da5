/**
 * The node's RocksDB database: metadata once per node, primary and secondary slivers in column families per shard
 * (as Walrus names them), blob and object info from events, the pending area for early writes, and detection of
 * corrupt data so that recovery rebuilds it.
 */
package io.tusk.node.store;
