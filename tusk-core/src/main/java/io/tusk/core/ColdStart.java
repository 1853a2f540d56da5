package io.tusk.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether this process's Reed-Solomon and Blake2b work may take the Vector API kernels. They are the fastest once C2
 * has compiled them and slow until then (interpreted and C1-compiled Vector API code boxes every vector), so a process
 * that runs one command on a small blob and exits is faster on the scalar kernels. Measured on a 2-core Zen 3,
 * {@code io.tusk.cli.Main blob-id} in a fresh JVM, vector / scalar kernels: 1 KiB at 100 shards 2.6 / 1.3 s, 8 MiB at
 * 1000 shards 5.0 / 3.1 s, 64 MiB at 1000 shards 5.3 / 9.7 s.
 *
 * <p>Such a process starts with {@code -Dtusk.kernels=cold} (the {@code tusk} script passes it to a client command
 * run in a JVM of its own): its kernel work runs scalar until it has begun work on {@link #WARM_BYTES} bytes of
 * blobs in all ({@link #blobWork}), and on the vector kernels from then on, so a large blob takes them from its start.
 * Every other process (the services, the client daemon, tests) takes the vector kernels from the start. Results are
 * the same either way: every kernel is tested against the scalar reference.
 */
public final class ColdStart {
    /** The system property that starts a process cold: {@code tusk.kernels=cold}. */
    public static final String PROPERTY = "tusk.kernels";
    /** Blob bytes after which a cold process takes the vector kernels (8 MiB blobs ran faster scalar, 64 MiB not). */
    static final long WARM_BYTES = 32L << 20;

    private static final AtomicLong begun = new AtomicLong();
    private static volatile boolean cold = "cold".equals(System.getProperty(PROPERTY));

    private ColdStart() {
    }

    /** Whether kernel work may take the vector kernels now. */
    public static boolean vectorKernels() {
        return !cold;
    }

    /** Work on a blob of {@code bytes} bytes begins (an encoding, or a read's checks and decoding): it counts. */
    public static void blobWork(long bytes) {
        if (cold && begun.addAndGet(Math.max(0, bytes)) >= WARM_BYTES) {
            cold = false;
        }
    }

    /** Starts cold again, or warm (for tests; a process sets it once with {@link #PROPERTY}). */
    static void reset(boolean startCold) {
        begun.set(0);
        cold = startCold;
    }
}
