/**
 * Benchmarks, never tests: JMH micro-benchmarks (RS2 encode and decode, the Reed-Solomon kernel, Blake2b, sliver
 * checks) and end-to-end harnesses on a real devnet (store and read throughput, small-read latency, recovery, the
 * control state under load). The README's "Benchmarks" section has the commands; figures go to docs/benchmarks.md.
 */
package io.tusk.bench;
