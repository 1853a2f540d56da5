package io.tusk.memory.bench;

import java.util.Random;

/** One synthetic fact by number, for tests outside this package. */
public final class SyntheticFactsAccess {

    private SyntheticFactsAccess() {
    }

    public static String fact(int n) {
        return SyntheticFacts.one(new Random(n));
    }
}
