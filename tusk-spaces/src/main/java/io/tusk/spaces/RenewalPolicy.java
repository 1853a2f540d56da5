package io.tusk.spaces;

/**
 * How {@link Space#renew} keeps a space's blobs alive: every blob a kept version needs whose storage ends within
 * {@code horizonEpochs} of the current epoch is extended by {@code extendEpochs} (capped by the network's maximum
 * epochs ahead), as long as the total cost stays within {@code budget}; what cannot be extended is reported.
 */
public record RenewalPolicy(int horizonEpochs, int extendEpochs, long budget) {
    public RenewalPolicy {
        if (horizonEpochs < 0 || extendEpochs < 1 || budget < 0) {
            throw new IllegalArgumentException("bad renewal policy: horizon " + horizonEpochs + ", extend by "
                    + extendEpochs + ", budget " + budget);
        }
    }
}
