/** Tusk control module; see docs/network.md for its contracts. */
package io.tusk.control;
