package io.tusk.http;

import org.slf4j.MDC;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The trace ID of the work the current thread does, carried between Tusk's services in the W3C Trace Context header
 * ({@code traceparent: 00-<32 hex trace ID>-<16 hex span ID>-01}) and logged as the MDC key {@value #MDC_KEY}.
 *
 * <p>A server takes the trace ID of each request's {@code traceparent} (or starts a new one) and opens it around the
 * handler; {@link JsonHttpClient} sends the current one with every request. The ID lives in an inheritable thread
 * local, so the virtual threads an operation forks (one per node, one per sliver) carry it without being told: a
 * store through the gateway shows one trace ID in the gateway's and every node's log lines.
 */
public final class TraceContext {
    public static final String HEADER = "traceparent";
    /** The response header naming the request's trace ID, so that a caller can find the server's log lines. */
    public static final String RESPONSE_HEADER = "Tusk-Trace-Id";
    public static final String MDC_KEY = "traceId";

    private static final InheritableThreadLocal<String> CURRENT = new InheritableThreadLocal<>();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final String ALL_ZERO_TRACE = "0".repeat(32);

    private TraceContext() {
    }

    /** The current trace ID (32 lowercase hex digits), if a trace is open on this thread. */
    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** A new random trace ID. */
    public static String newTraceId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return HEX.formatHex(id);
    }

    /**
     * The trace ID of a {@code traceparent} header value, if it is a well-formed version-00 value with a non-zero
     * trace ID (W3C Trace Context §3.2); anything else is ignored, as the specification asks.
     */
    public static Optional<String> parseHeader(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.length() != 55 || !v.startsWith("00-") || v.charAt(35) != '-' || v.charAt(52) != '-') {
            return Optional.empty();
        }
        String traceId = v.substring(3, 35);
        if (!isLowerHex(traceId) || traceId.equals(ALL_ZERO_TRACE) || !isLowerHex(v.substring(36, 52))
                || !isLowerHex(v.substring(53))) {
            return Optional.empty();
        }
        return Optional.of(traceId);
    }

    /** The {@code traceparent} value for an outgoing request of this trace, with a new span ID. */
    public static String header(String traceId) {
        byte[] span = new byte[8];
        RANDOM.nextBytes(span);
        span[0] |= 1; // an all-zero span ID is invalid
        return "00-" + traceId + "-" + HEX.formatHex(span) + "-01";
    }

    /**
     * Makes {@code traceId} current on this thread (and the threads it starts) until the returned scope is closed,
     * which restores the previous one.
     */
    public static Scope open(String traceId) {
        String previous = CURRENT.get();
        String previousMdc = MDC.get(MDC_KEY);
        CURRENT.set(traceId);
        MDC.put(MDC_KEY, traceId);
        return () -> {
            restore(CURRENT, previous);
            if (previousMdc == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previousMdc);
            }
        };
    }

    /** Opens a new trace unless one is current: what an SDK operation does so that all its requests share one ID. */
    public static Scope ensure() {
        String existing = CURRENT.get();
        if (existing != null) {
            // The MDC is per thread and not inherited: a forked thread has the trace but may not log it yet.
            return open(existing);
        }
        return open(newTraceId());
    }

    /** Runs {@code work} inside the trace {@code traceId}. */
    public static <T> T call(String traceId, Callable<T> work) throws Exception {
        Scope scope = open(traceId);
        try {
            return work.call();
        } finally {
            scope.close();
        }
    }

    private static void restore(ThreadLocal<String> local, String previous) {
        if (previous == null) {
            local.remove();
        } else {
            local.set(previous);
        }
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** An open trace; closing it restores the one before. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
