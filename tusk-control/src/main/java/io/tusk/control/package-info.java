/**
 * The control-plane server module (tusk-control): the deterministic state machine ({@code io.tusk.control.state}) and
 * the replica that serves it ({@code io.tusk.control.server}). Only the testkit, the CLI and tests depend on it; the
 * SDK, nodes and gateway use tusk-control-api. Contracts in docs/network.md, the state in docs/control-plane.md.
 */
package io.tusk.control;
