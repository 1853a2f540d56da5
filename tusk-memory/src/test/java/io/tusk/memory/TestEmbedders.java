package io.tusk.memory;

import io.tusk.memory.embedding.Embedder;

/** One local MiniLM per test JVM: it takes a second or two to load and is thread-safe. */
public final class TestEmbedders {

    private static volatile Embedder local;

    private TestEmbedders() {
    }

    public static Embedder local() {
        Embedder e = local;
        if (e == null) {
            synchronized (TestEmbedders.class) {
                e = local;
                if (e == null) {
                    e = Embedder.local();
                    local = e;
                }
            }
        }
        return e;
    }
}
