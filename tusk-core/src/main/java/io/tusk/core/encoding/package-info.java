/**
 * RS2 ("Red Stuff" over Reed-Solomon), byte-identical to Walrus: encoding a blob into sliver pairs and metadata (in
 * memory or in spill files, for blobs larger than the heap), decoding from primary slivers with a consistency
 * check, sliver expansions and recovery symbols with Merkle proofs, rebuilding a sliver from symbols, and
 * inconsistency proofs. Primary sliver {@code q} pairs with secondary sliver {@code n-1-q}
 * ({@link io.tusk.core.encoding.SliverType}).
 */
package io.tusk.core.encoding;
