/**
 * The Walrus-compatible publisher and aggregator (Walrus's HTTP API: blobs, quilts, byte ranges) in front of a Tusk
 * network, with a verified edge cache (memory and disk) kept honest by the control plane's events, and limits on
 * concurrent stores and cold reads (docs/gateway.md).
 */
package io.tusk.gateway;
