/**
 * A storage node's request logic, independent of HTTP: checks every request shares
 * ({@link io.tusk.node.service.BlobChecks}), sliver and metadata writes, BLS-signed confirmations, recovery symbols
 * for other nodes, blob events from the control plane, the node's view of its committee, and its metrics.
 */
package io.tusk.node.service;
