/**
 * Tusk's Java SDK: stores blobs (encode, register, spread slivers, collect confirmations, certify) and reads them
 * back (verified metadata, verified primary slivers from whichever nodes answer first, decode, consistency check).
 * {@link io.tusk.client.TuskClient} is the entry point.
 */
package io.tusk.client;
