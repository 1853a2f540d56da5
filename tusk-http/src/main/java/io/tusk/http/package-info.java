/** Tusk http module; see docs/network.md for its contracts. */
package io.tusk.http;
