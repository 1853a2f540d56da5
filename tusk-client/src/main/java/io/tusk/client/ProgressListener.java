package io.tusk.client;

/** Progress of a store, for progress bars: bytes of slivers sent so far out of the total to send. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (sent, total) -> { };

    void onProgress(long sentBytes, long totalBytes);
}
