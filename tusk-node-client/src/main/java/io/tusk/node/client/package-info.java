/**
 * The storage-node REST API as a Java client ({@link io.tusk.node.client.StorageNodeClient}), shared by the SDK and by
 * nodes talking to other nodes, as Walrus shares {@code walrus-storage-node-client}: the SDK must never see the node's
 * code, and the node should not carry the SDK. Wire types of the API live here too ({@link
 * io.tusk.node.client.SymbolId}).
 */
package io.tusk.node.client;
