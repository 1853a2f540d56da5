package io.tusk.core.failpoint;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Named fail points, in the spirit of Walrus's simtest fail points and FoundationDB's buggify: production code calls
 * {@link #hit} or {@link #hitIo} at the places where the world can fail (a log append, a RocksDB write, a sliver write,
 * a confirmation, applying an event, a recovery step, a shard sync), and tests arm a point to make that place fail.
 *
 * <p>Unarmed, a hit costs one volatile read. Armed points are process-wide: tests that arm points must disarm them
 * ({@link #disarmAll} in an {@code @AfterEach}) and should not run in parallel with other tests of the same JVM.
 *
 * <p>Separate processes arm points with the system property {@value #PROPERTY} (read once, when this class loads),
 * a {@code ;}-separated list of {@code name=action}, where action is one of
 * <ul>
 *   <li>{@code error}: every hit throws ({@link IOException} from {@link #hitIo}, {@link FailPointException} from
 *       {@link #hit});</li>
 *   <li>{@code error*N}: the first N hits throw, later hits pass;</li>
 *   <li>{@code crash}: the first hit halts the process at once with exit status 137, as {@code kill -9} would;</li>
 *   <li>{@code crash@N}: the N-th hit (from 1) halts the process;</li>
 *   <li>{@code sleep(MS)}: every hit sleeps MS milliseconds (a hung disk or peer).</li>
 * </ul>
 * For example {@code -Dtusk.failpoints=node.sliver-write=error*3;control.log-append=crash@10}.
 *
 * <p>Names are {@code part.place} in lower case with dashes ({@code control.log-append}, {@code node.sliver-write});
 * every point in the code base is listed in {@code docs/fault-injection.md}.
 */
public final class FailPoints {
    /** The system property that arms points in a process started by a test. */
    public static final String PROPERTY = "tusk.failpoints";
    /** The exit status of a process halted by a {@code crash} action, the same as after {@code kill -9}. */
    public static final int CRASH_EXIT_STATUS = 137;

    private static final Map<String, Action> ARMED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> HITS = new ConcurrentHashMap<>();
    /** INV: true whenever {@link #ARMED} is not empty; lets an unarmed hit return after one volatile read. */
    private static volatile boolean anyArmed;

    static {
        String spec = System.getProperty(PROPERTY);
        if (spec != null && !spec.isBlank()) {
            parse(spec).forEach(FailPoints::arm);
        }
    }

    private FailPoints() {
    }

    /** What an armed point does when hit. It may throw, sleep, halt the process, or do nothing (let the hit pass). */
    @FunctionalInterface
    public interface Action {
        /**
         * Runs on a hit.
         *
         * @param name the point's name
         * @param hit  how many times this point was hit while armed, counting this hit (from 1)
         */
        void onHit(String name, long hit) throws IOException;
    }

    /** Thrown by {@link #hit} (points on paths that do not throw {@link IOException}). */
    public static final class FailPointException extends RuntimeException {
        public FailPointException(String message) {
            super(message);
        }
    }

    /** Arms {@code name}, replacing any action it had, and resets its hit count. */
    public static void arm(String name, Action action) {
        if (name == null || name.isBlank() || action == null) {
            throw new IllegalArgumentException("a fail point needs a name and an action");
        }
        HITS.put(name, new AtomicLong());
        ARMED.put(name, action);
        anyArmed = true;
    }

    /** Arms {@code name} to throw on every hit. */
    public static void armError(String name) {
        arm(name, error(Long.MAX_VALUE));
    }

    /** Disarms {@code name}; a point that was not armed is left alone. */
    public static void disarm(String name) {
        ARMED.remove(name);
        anyArmed = !ARMED.isEmpty();
    }

    /** Disarms every point. */
    public static void disarmAll() {
        ARMED.clear();
        anyArmed = false;
    }

    /** How often {@code name} was hit since it was last armed (0 if it never was). */
    public static long hits(String name) {
        AtomicLong count = HITS.get(name);
        return count == null ? 0 : count.get();
    }

    /**
     * A fail point on a path that may throw {@link IOException}.
     *
     * @throws IOException if the point is armed and its action fails the hit
     */
    public static void hitIo(String name) throws IOException {
        if (!anyArmed) {
            return;
        }
        Action action = ARMED.get(name);
        if (action != null) {
            action.onHit(name, HITS.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet());
        }
    }

    /**
     * A fail point on a path that does not throw {@link IOException}.
     *
     * @throws FailPointException if the point is armed and its action fails the hit
     */
    public static void hit(String name) {
        if (!anyArmed) {
            return;
        }
        try {
            hitIo(name);
        } catch (IOException e) {
            throw new FailPointException(e.getMessage());
        }
    }

    /** An action that fails the first {@code times} hits with an {@link IOException} naming the point. */
    public static Action error(long times) {
        return (name, hit) -> {
            if (hit <= times) {
                throw new IOException("fail point " + name + " (hit " + hit + ")");
            }
        };
    }

    /** An action that halts the process on the {@code nth} hit, as {@code kill -9} would (no shutdown hooks). */
    public static Action crashAt(long nth) {
        return (name, hit) -> {
            if (hit == nth) {
                System.err.println("fail point " + name + ": halting the process (hit " + hit + ")");
                System.err.flush();
                Runtime.getRuntime().halt(CRASH_EXIT_STATUS);
            }
        };
    }

    /** An action that sleeps {@code millis} on every hit. */
    public static Action sleep(long millis) {
        return (name, hit) -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("fail point " + name + ": interrupted while sleeping", e);
            }
        };
    }

    /**
     * Parses a {@value #PROPERTY} value into named actions.
     *
     * @throws IllegalArgumentException naming the entry that does not parse
     */
    public static Map<String, Action> parse(String spec) {
        Map<String, Action> actions = new java.util.LinkedHashMap<>();
        for (String entry : spec.split(";")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0 || eq == trimmed.length() - 1) {
                throw new IllegalArgumentException(PROPERTY + ": '" + trimmed + "' is not name=action");
            }
            String name = trimmed.substring(0, eq).trim();
            String action = trimmed.substring(eq + 1).trim();
            try {
                actions.put(name, parseAction(action));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(PROPERTY + ": bad number in '" + trimmed + "'");
            }
        }
        return actions;
    }

    private static Action parseAction(String action) {
        if (action.equals("error")) {
            return error(Long.MAX_VALUE);
        }
        if (action.startsWith("error*")) {
            return error(positive(action.substring("error*".length())));
        }
        if (action.equals("crash")) {
            return crashAt(1);
        }
        if (action.startsWith("crash@")) {
            return crashAt(positive(action.substring("crash@".length())));
        }
        if (action.startsWith("sleep(") && action.endsWith(")")) {
            return sleep(positive(action.substring("sleep(".length(), action.length() - 1)));
        }
        throw new IllegalArgumentException(PROPERTY + ": unknown action '" + action
                + "' (error, error*N, crash, crash@N, sleep(MS))");
    }

    private static long positive(String text) {
        long value = Long.parseLong(text.trim());
        if (value < 1) {
            throw new NumberFormatException(text);
        }
        return value;
    }
}
