/**
 * The Walrus storage-node REST API (paths, BCS bodies, JSON shapes) as routes on the shared tusk-http server, over
 * the HTTP-free {@link io.tusk.node.service.StorageService}.
 */
package io.tusk.node.http;
