package io.tusk.client;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;

import java.util.Random;

/** Scratch: CPU of verifying one primary sliver of a 1 KiB blob at 100 shards. */
public class VerifyScratch {
    public static void main(String[] args) {
        EncodingConfig enc = new EncodingConfig(100);
        byte[] data = new byte[1024];
        new Random(1).nextBytes(data);
        EncodedBlob blob = new BlobEncoder(enc).encode(data);
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            long start = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            int n = 0;
            for (int i = 0; i < 2000; i++) {
                for (int q = 0; q < 36; q++) {
                    Sliver s = blob.pairs().get(q).primary().verify(enc, blob.metadata().metadata());
                    sink += s.index();
                    n++;
                }
            }
            System.out.printf("verify: %.1f us per sliver%n", (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - start) / 1e3 / n);
        }
        long start = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        for (int i = 0; i < 2000; i++) {
            sink += blob.metadata().verify(enc).blobId().hashCode();
        }
        System.out.printf("metadata verify: %.1f us%n", (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - start) / 1e3 / 2000);
        System.out.println(sink);
    }
}
