/**
 * Walrus Merkle trees (per-level Empty padding, never to a power of two), their BCS nodes and inclusion proofs.
 */
package io.tusk.core.merkle;
