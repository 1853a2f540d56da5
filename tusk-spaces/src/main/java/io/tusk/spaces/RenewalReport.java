package io.tusk.spaces;

import java.util.List;

/**
 * What {@link Space#renew} did in epoch {@code epoch}: the blobs it checked, the extensions it bought and their cost,
 * and warnings, one per blob that would lapse within the horizon and could not be extended (budget spent, or the
 * network's limit reached), naming the versions that need it. {@code lost} lists blobs kept versions need that
 * already expired or were deleted: those versions are no longer fully readable.
 */
public record RenewalReport(int epoch, int blobsChecked, List<Extension> extended, long spent, List<String> warnings,
                            List<String> lost) {
    public record Extension(String blobId, String objectId, int fromEndEpoch, int toEndEpoch, long cost) {
    }

    public RenewalReport {
        extended = List.copyOf(extended);
        warnings = List.copyOf(warnings);
        lost = List.copyOf(lost);
    }

    /** Nothing kept is at risk: no warning and nothing lost. */
    public boolean healthy() {
        return warnings.isEmpty() && lost.isEmpty();
    }
}
