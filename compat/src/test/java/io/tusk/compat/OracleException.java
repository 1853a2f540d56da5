package io.tusk.compat;

/**
 * The Walrus oracle refused or failed a request.
 *
 * <p>{@link #isErrorResponse()} is true when the oracle process answered with an error (for example
 * "decoding was unsuccessful" or a WASM trap); the process is then still usable. Otherwise the process
 * could not be reached, died or timed out, and the {@link WalrusOracle} instance is closed.
 */
public final class OracleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String op;
    private final boolean errorResponse;
    private final boolean trap;

    OracleException(String op, String message, boolean errorResponse, boolean trap, Throwable cause) {
        super("oracle op " + op + ": " + message, cause);
        this.op = op;
        this.errorResponse = errorResponse;
        this.trap = trap;
    }

    /** The request's op name, e.g. {@code "decode"}. */
    public String op() {
        return op;
    }

    /** True if the oracle answered with an error response (the process is still alive and usable). */
    public boolean isErrorResponse() {
        return errorResponse;
    }

    /** True if the WASM module trapped (e.g. {@code unreachable} for n < 4); the oracle reloaded it. */
    public boolean isTrap() {
        return trap;
    }
}
