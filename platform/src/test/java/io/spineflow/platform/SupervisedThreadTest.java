package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A task that dies is reported and restarted; a stopped one is not. */
class SupervisedThreadTest {
  @Test
  void aDyingTaskIsReportedThenRestartedWithAFreshInstance() throws Exception {
    AtomicInteger created = new AtomicInteger();
    CountDownLatch mayDie = new CountDownLatch(1);
    CountDownLatch secondRunning = new CountDownLatch(1);
    try (SupervisedThread thread =
        new SupervisedThread(
            "watcher",
            () -> {
              int n = created.incrementAndGet();
              return new Blocking(
                  () -> {
                    if (n == 1) {
                      awaitLatch(mayDie);
                      throw new IllegalStateException("poison");
                    }
                    secondRunning.countDown();
                  });
            },
            Duration.ofMillis(300))) {
      thread.start();
      assertThat(thread.failure()).isEmpty();
      mayDie.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> thread.failure().isPresent());
      assertThat(thread.failure().orElseThrow()).contains("poison");
      assertThat(secondRunning.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> thread.failure().isEmpty());
      assertThat(thread.restarts()).isEqualTo(1);
      assertThat(created.get()).isEqualTo(2);
    }
  }

  @Test
  void aTaskThatHonoursStopEndsWithoutAnInterruptAndOneThatDoesNotIsInterrupted() throws Exception {
    // A consumer closing in its finally block must not see an interrupt: it would stay half-closed.
    AtomicBoolean interruptedWhileEnding = new AtomicBoolean(true);
    CountDownLatch running = new CountDownLatch(1);
    SupervisedThread polite =
        new SupervisedThread(
            "polite",
            () ->
                new Blocking(running::countDown) {
                  @Override
                  public void run() {
                    super.run();
                    interruptedWhileEnding.set(Thread.currentThread().isInterrupted());
                  }
                },
            Duration.ofMillis(300));
    polite.start();
    assertThat(running.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    polite.close();
    assertThat(interruptedWhileEnding).isFalse();

    // A task deaf to stop() still ends: interrupted once the grace period is over.
    AtomicBoolean ended = new AtomicBoolean();
    CountDownLatch deafRunning = new CountDownLatch(1);
    SupervisedThread deaf =
        new SupervisedThread(
            "deaf",
            () ->
                new SupervisedThread.Task() {
                  @Override
                  public void run() {
                    deafRunning.countDown();
                    awaitLatch(new CountDownLatch(1)); // returns only when interrupted
                    ended.set(true);
                  }

                  @Override
                  public void stop() {}
                },
            Duration.ofMillis(300));
    deaf.start();
    assertThat(deafRunning.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    deaf.close();
    assertThat(ended).isTrue();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@code body}, then blocks until stopped (as a consumer loop does). */
  private static class Blocking implements SupervisedThread.Task {
    private final Runnable body;
    private final CountDownLatch stopped = new CountDownLatch(1);

    Blocking(Runnable body) {
      this.body = body;
    }

    @Override
    public void run() {
      body.run();
      awaitLatch(stopped);
    }

    @Override
    public void stop() {
      stopped.countDown();
    }
  }
}
