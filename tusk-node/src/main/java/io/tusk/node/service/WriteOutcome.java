package io.tusk.node.service;

/** The three successes of a metadata or sliver PUT, with Walrus's code and message for each. */
public enum WriteOutcome {
    STORED(201), ALREADY_STORED(200), BUFFERED(202);

    private final int httpCode;

    WriteOutcome(int httpCode) {
        this.httpCode = httpCode;
    }

    public int httpCode() {
        return httpCode;
    }
}
