/**
 * A node's local administration: the Unix domain socket operators use, and RocksDB checkpoints (backups) taken on
 * request or on a schedule (docs/operations.md).
 */
package io.tusk.node.admin;
