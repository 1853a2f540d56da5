/**
 * The operator's web console at {@code /console}: the network's overview (epoch, committee, shard map, node health and
 * metrics) as JSON and static pages served from the jar.
 */
package io.tusk.gateway.console;
