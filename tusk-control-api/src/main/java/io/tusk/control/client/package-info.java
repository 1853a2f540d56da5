/**
 * The Java client of the control plane's HTTP API (over tusk-http's JSON client) and the key files of accounts and
 * nodes.
 */
package io.tusk.control.client;
