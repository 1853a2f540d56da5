package io.tusk.control.api;

import java.util.List;

/**
 * {@code GET /v1/health} of one control-plane replica.
 *
 * @param status       {@value #SERVING} when the replica orders commands (leader) or follows a leader it hears from;
 *                     {@value #NOT_SERVING} otherwise, with {@code reason}
 * @param reason       why the replica does not serve (a full disk, a failed log write, no leader, ...), or null
 * @param role         its Raft role: {@code leader}, {@code follower}, {@code candidate}, {@code listener} or
 *                     {@code starting}
 * @param epoch        the current epoch in its applied state
 * @param appliedIndex the Raft log index of the last entry it applied
 * @param eventCount   events in its applied state (the cursor of the next event)
 * @param warnings     what an operator should act on although the replica serves (a follower whose disk runs low:
 *                     it serves reads and follows, but would hand its leadership away at once if elected); empty
 *                     when none
 */
public record Health(String status, String reason, String role, int epoch, long appliedIndex, long eventCount,
                     List<String> warnings) {
    public static final String SERVING = "serving";
    public static final String NOT_SERVING = "notServing";

    public Health {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
