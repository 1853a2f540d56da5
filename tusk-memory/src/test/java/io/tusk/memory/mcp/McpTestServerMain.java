package io.tusk.memory.mcp;

import io.tusk.memory.InMemorySpace;
import io.tusk.memory.MemoryOptions;
import io.tusk.memory.MemoryStore;
import io.tusk.memory.embedding.Embedder;
import java.io.PrintStream;

/**
 * The MCP server in its own process over a space kept in that process, for the round-trip test (the CLI's
 * {@code tusk memory mcp} runs the same server over a space on a Tusk network).
 */
public final class McpTestServerMain {

    private McpTestServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        PrintStream stdout = System.out;
        System.setOut(System.err); // stdout carries MCP messages only
        MemoryStore store = MemoryStore.open(new InMemorySpace("mcp", true), Embedder.local(), MemoryOptions.DEFAULT);
        MemoryMcpServer.startOnStdio(store, stdout);
        Thread.currentThread().join();
    }
}
