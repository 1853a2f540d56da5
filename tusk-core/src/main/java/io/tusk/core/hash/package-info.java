/**
 * Blake2b-256, the hash H of Walrus: {@link io.tusk.core.hash.Blake2b256} for single messages (one-shot or
 * incremental) and {@link io.tusk.core.hash.Blake2b256Batch} for many equal-length messages at once.
 */
package io.tusk.core.hash;
