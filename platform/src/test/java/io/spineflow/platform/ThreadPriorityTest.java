package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link ThreadPriority} on this machine's kernel, with the real {@code renice}. */
class ThreadPriorityTest {

  private static void assumeLinux() {
    assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "needs Linux /proc");
  }

  /** Runs {@code body} on a fresh thread (its nice value cannot be raised back) and waits. */
  private static void onFreshThread(Runnable body) throws InterruptedException {
    Thread t = new Thread(body, "nice-test");
    t.start();
    t.join(30_000);
    assertThat(t.isAlive()).as("test thread finished").isFalse();
  }

  @Test
  void lowersOnlyTheCallingThreadAndThreadsItStartsInheritIt() throws Exception {
    assumeLinux();
    int before = ThreadPriority.currentNice();
    AtomicReference<ThreadPriority.Outcome> outcome = new AtomicReference<>();
    AtomicInteger child = new AtomicInteger(Integer.MIN_VALUE);
    int target = Math.min(19, before + 7);

    onFreshThread(
        () -> {
          outcome.set(ThreadPriority.lowerCurrentThread(target));
          Thread worker = new Thread(() -> child.set(ThreadPriority.currentNice()));
          worker.start();
          try {
            worker.join(10_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });

    assertThat(outcome.get().applied()).as(outcome.get().detail()).isTrue();
    assertThat(outcome.get().nice()).isEqualTo(target);
    assertThat(child.get()).as("a thread started afterwards inherits it").isEqualTo(target);
    assertThat(ThreadPriority.currentNice()).as("the test's own thread").isEqualTo(before);
  }

  @Test
  void zeroLeavesTheThreadAloneAndOutOfRangeIsRefused() throws Exception {
    assumeLinux();
    AtomicReference<ThreadPriority.Outcome> outcome = new AtomicReference<>();
    int before = ThreadPriority.currentNice();
    onFreshThread(() -> outcome.set(ThreadPriority.lowerCurrentThread(0)));
    assertThat(outcome.get().applied()).isTrue();
    assertThat(outcome.get().nice()).isEqualTo(before);
    assertThatThrownBy(() -> ThreadPriority.lowerCurrentThread(20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..19");
    assertThatThrownBy(() -> ThreadPriority.lowerCurrentThread(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
