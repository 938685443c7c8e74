package io.spineflow.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Blocks the main thread until Ctrl-C (SIGINT/SIGTERM), then runs the cleanup once and lets the JVM
 * exit: a clean stop with no stack traces.
 */
final class ShutdownLatch {
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch cleanedUp = new CountDownLatch(1);

  /** Waits for a shutdown signal, then runs {@code cleanup} on this thread. */
  void awaitThen(Runnable cleanup) {
    Thread hook =
        new Thread(
            () -> {
              stopped.countDown();
              try {
                cleanedUp.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "spineflow-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        cleanup.run();
      } finally {
        cleanedUp.countDown();
      }
    }
  }
}
