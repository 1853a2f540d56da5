/**
 * A Walrus storage node ({@link io.tusk.node.StorageNode}): its configuration and the parts it starts and closes
 * together: the store ({@code store}), the request logic ({@code service}) behind the REST API ({@code http}), the
 * event follower ({@code events}), shard sync and garbage collection ({@code shards}), recovery of missing slivers
 * ({@code recovery}) and local administration ({@code admin}). Contracts in docs/network.md.
 */
package io.tusk.node;
