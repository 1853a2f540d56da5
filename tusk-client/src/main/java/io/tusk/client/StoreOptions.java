package io.tusk.client;

/**
 * How to store a blob: for how many epochs (from the current one), deletable or permanent (Walrus's default is
 * deletable), and whether to store again even if the blob is already certified long enough.
 */
public record StoreOptions(int epochs, boolean deletable, boolean force) {
    public StoreOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(1, true, false);
    }

    public StoreOptions withEpochs(int epochs) {
        return new StoreOptions(epochs, deletable, force);
    }

    public StoreOptions permanent() {
        return new StoreOptions(epochs, false, force);
    }

    public StoreOptions forced() {
        return new StoreOptions(epochs, deletable, true);
    }
}
