package io.tusk.core.rs;

/** Which arithmetic engine a {@link ReedSolomonCode} operation uses; package-private so tests can run both. */
enum Kernel {
    /** The default: the best vector engine where supported, else scalar. */
    AUTO,
    /** Scalar engine only (compact layout for shards under 128 bytes, 64-lane units otherwise). */
    SCALAR,
    /** Best vector engine with 64-lane units for every shard size (falls back to scalar if unsupported). */
    VECTOR,
    /** Like VECTOR but with the nibble-table multiply, which runs on any species (for tests). */
    VECTOR_NIBBLE;

    /** The process-wide default: system property {@code tusk.rs.kernel} = auto | scalar | vector. */
    static final Kernel DEFAULT = fromProperty(System.getProperty("tusk.rs.kernel", "auto"));

    private static Kernel fromProperty(String value) {
        try {
            return Kernel.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tusk.rs.kernel=" + value + ": expected auto, scalar, vector or"
                    + " vector_nibble", e);
        }
    }

    /** The kernel for work starting now: {@link #DEFAULT}, or {@link #SCALAR} while the process is cold. */
    static Kernel current() {
        return io.tusk.core.ColdStart.vectorKernels() ? DEFAULT : SCALAR;
    }

    /** The best vector engine, or null when the Vector API module is absent or the species is too narrow. */
    static final Engine VECTOR_ENGINE = loadVectorEngine(false);
    /** The nibble-table vector engine, or null as above. */
    static final Engine NIBBLE_ENGINE = loadVectorEngine(true);

    private static Engine loadVectorEngine(boolean nibble) {
        try {
            if (!VectorEngine.supported()) {
                return null;
            }
            return nibble ? VectorEngine.NIBBLE : VectorEngine.best();
        } catch (Throwable t) { // NoClassDefFoundError without --add-modules jdk.incubator.vector
            return null;
        }
    }

    /** The engine for 64-lane units under this kernel (AUTO and VECTOR: best vector engine, else scalar). */
    Engine unitEngine() {
        Engine e = switch (this) {
            case SCALAR -> null;
            case VECTOR_NIBBLE -> NIBBLE_ENGINE;
            default -> VECTOR_ENGINE;
        };
        return e != null ? e : ScalarEngine.INSTANCE;
    }
}
