/**
 * The control plane's wire types as records: commands and their signed envelope, events, and the answers of its
 * queries (epochs, committees, blobs, accounts, prices), with their one Jackson configuration
 * ({@link io.tusk.control.api.ControlJson}). What every other module sees of the control plane (docs/network.md).
 */
package io.tusk.control.api;
