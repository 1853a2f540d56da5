/** Tusk client module; see docs/network.md for its contracts. */
package io.tusk.client;
