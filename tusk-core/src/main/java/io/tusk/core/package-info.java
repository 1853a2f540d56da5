/**
 * Tusk's core: the RS2 ("Red Stuff" over Reed-Solomon) codec, Merkle trees, metadata, blob IDs and BCS,
 * byte-compatible with Walrus. No I/O, no threads it does not own, no logging.
 */
package io.tusk.core;
