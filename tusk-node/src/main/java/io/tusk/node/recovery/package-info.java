/**
 * Self-healing: a node rebuilds the slivers it lacks for certified blobs from other nodes' recovery symbols
 * ({@link io.tusk.node.recovery.RecoveryManager}, {@link io.tusk.node.recovery.BlobRecovery}), and when a rebuilt
 * sliver contradicts the metadata it gathers attestations from more than f shards and has the blob marked invalid
 * ({@link io.tusk.node.recovery.InvalidBlobReporter}).
 */
package io.tusk.node.recovery;
