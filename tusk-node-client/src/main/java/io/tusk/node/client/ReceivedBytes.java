package io.tusk.node.client;

/**
 * Told the size of every answer body a {@link HttpStorageNodeClient} receives, by endpoint: for traffic figures such
 * as recovery's bytes fetched per byte rebuilt. Called on the requesting thread; must be quick and thread-safe.
 */
@FunctionalInterface
public interface ReceivedBytes {
    ReceivedBytes NONE = (endpoint, bytes) -> { };

    void received(NodeEndpoint endpoint, int bytes);
}
