/**
 * Tusk on one machine: {@link io.tusk.testkit.LocalCluster} runs a control plane and storage nodes in one JVM with
 * real sockets, real RocksDB and real signatures. It is the devnet ({@code tusk devnet}) and the integration tests'
 * cluster ({@link io.tusk.testkit.TestCluster}).
 */
package io.tusk.testkit;
