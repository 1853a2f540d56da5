package io.tusk.core.rs;

/** Which arithmetic engine a {@link ReedSolomonCode} operation uses; package-private so tests can run both. */
enum Kernel {
    /** Vector engine where supported, the compact scalar layout for shards under 128 bytes. */
    AUTO,
    /** Scalar engine only (compact layout for shards under 128 bytes, 64-lane units otherwise). */
    SCALAR,
    /** Vector engine with 64-lane units for every shard size (falls back to scalar if unsupported). */
    VECTOR;

    /** The process-wide default: system property {@code tusk.rs.kernel} = auto | scalar | vector. */
    static final Kernel DEFAULT = Kernel.valueOf(System.getProperty("tusk.rs.kernel", "auto").toUpperCase(java.util.Locale.ROOT));

    /** The vector engine, or null when the Vector API module is absent or the CPU's species is too narrow. */
    static final Engine VECTOR_ENGINE = loadVectorEngine();

    private static Engine loadVectorEngine() {
        try {
            return VectorEngine.supported() ? VectorEngine.INSTANCE : null;
        } catch (Throwable t) { // NoClassDefFoundError without --add-modules jdk.incubator.vector
            return null;
        }
    }
}
