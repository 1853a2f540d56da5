package io.tusk.control.api;

/**
 * The current epoch, when it started (Unix milliseconds, as recorded by genesis or the {@code advanceEpoch} command),
 * the nominal epoch duration and how many epochs ahead a blob may be stored.
 */
public record EpochInfo(int epoch, long startTimeMillis, long epochDurationMillis, int maxEpochsAhead) {}
