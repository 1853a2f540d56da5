/**
 * Committee changes on a node: which shards it serves, pulling gained shards from their previous owners (or
 * rebuilding them), reporting them synced, and garbage collection of expired and deleted blobs at epoch start.
 */
package io.tusk.node.shards;
