package io.tusk.cli;

import java.util.concurrent.CountDownLatch;

/** Runs a service until the process is asked to stop (Ctrl-C, SIGTERM), then closes it. */
final class Daemon {
    private Daemon() {}

    /** Services log at INFO, client commands only warn. */
    static void useServiceLogging() {
        io.tusk.cli.logging.Logging.serviceLevel();
    }

    static void runUntilStopped(AutoCloseable service) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("tusk: error while stopping: " + Main.oneLine(e));
            } finally {
                stopped.countDown();
            }
        }, "tusk-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
    }
}
