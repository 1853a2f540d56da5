/**
 * A control-plane replica as a process: the replica over its on-disk state, its HTTP API on tusk-http, its metrics
 * and the epoch ticker of devnets. The SDK, nodes and gateway never depend on this package: they use
 * {@code io.tusk.control.api} and {@code io.tusk.control.client} (module tusk-control-api).
 */
package io.tusk.control.server;
