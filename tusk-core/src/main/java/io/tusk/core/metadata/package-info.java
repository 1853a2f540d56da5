/**
 * Walrus blob metadata and blob IDs: the sliver-pair hashes, the encoding type, the ID that commits to them, and their
 * verification against a committee's shard count.
 */
package io.tusk.core.metadata;
