/**
 * The control plane's deterministic state machine on RocksDB: {@link io.tusk.control.state.ControlState}
 * dispatches each signed command to its concern (authentication, accounts, committees and epochs, blob registry,
 * certificate verification), which reads and writes {@link io.tusk.control.state.Table}s and
 * {@link io.tusk.control.state.Index}es through one {@link io.tusk.control.state.StateBatch} per command. Same
 * commands in the same order give the same bytes on every replica (docs/control-plane.md).
 */
package io.tusk.control.state;
