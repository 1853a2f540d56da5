/**
 * The {@code tusk} command (picocli): one class per subcommand, for users (store, read, blob-id, quilts, status,
 * list, delete, extend), operators (control, node, gateway, devnet, health, epochs, node-admin) and the launcher's
 * warm client daemon. Every error prints one line on stderr and exits non-zero.
 */
package io.tusk.cli;
