package io.tusk.control.api;

/**
 * The current epoch, when it started (Unix milliseconds, as recorded by genesis or the {@code advanceEpoch} command),
 * the nominal epoch duration, how many epochs ahead a blob may be stored, and the state of the change into this
 * epoch: {@code "changeInProgress"} until members holding a quorum of shards reported their shards synced, then
 * {@code "changeDone"}.
 */
public record EpochInfo(int epoch, long startTimeMillis, long epochDurationMillis, int maxEpochsAhead, String state) {
    public static final String CHANGE_IN_PROGRESS = "changeInProgress";
    public static final String CHANGE_DONE = "changeDone";

    public boolean changeDone() {
        return CHANGE_DONE.equals(state);
    }
}
