package io.spineflow.platform;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a background task on its own thread and restarts it (a fresh instance from the factory,
 * after a back-off) whenever it ends without being asked to stop, so a dying helper thread cannot
 * leave a service half-working with {@code /health} still UP. {@link #failure()} says why it is
 * down until the restarted task has run for a while.
 */
public final class SupervisedThread implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SupervisedThread.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** A task that can be asked to stop (wake its blocking call and return). */
  public interface Task extends Runnable {
    void stop();
  }

  private final String name;
  private final Supplier<? extends Task> factory;
  private final Duration firstBackoff;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile Task current;
  private volatile String failure;
  private volatile int restarts;

  /**
   * @param factory a new task per run (its own clients: a failed run's are closed by it)
   * @param backoff wait before the first restart; doubled after each failure, up to 30 s
   */
  public SupervisedThread(String name, Supplier<? extends Task> factory, Duration backoff) {
    this.name = name;
    this.factory = factory;
    this.firstBackoff = backoff;
    this.thread = new Thread(this::supervise, name);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Why the task is not running now, or empty while it runs. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** How many times the task was restarted after it ended on its own. */
  public int restarts() {
    return restarts;
  }

  private void supervise() {
    Duration backoff = firstBackoff;
    while (!stopping) {
      Task task = factory.get();
      current = task;
      failure = null;
      String why;
      try {
        task.run();
        why = "ended on its own";
      } catch (RuntimeException | Error e) {
        if (stopping) {
          // Interrupted by close(): how a stop looks from inside, not a failure.
          LOG.debug("{} ended while stopping: {}", name, e.toString());
          return;
        }
        why = e.toString();
        LOG.error("{} failed; restarting it in {}", name, backoff, e);
      }
      if (stopping) {
        return;
      }
      failure = name + " " + why;
      LOG.warn("{} {}; restart {} in {}", name, why, restarts + 1, backoff);
      if (!pause(backoff)) {
        return;
      }
      restarts++;
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  private boolean pause(Duration backoff) {
    try {
      Thread.sleep(backoff.toMillis()); // back-off between restarts, not a test wait
      return !stopping;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    stopping = true;
    Task task = current;
    if (task != null) {
      task.stop();
    }
    try {
      // The task's own stop first: interrupting a thread that is closing Kafka clients leaves
      // them half-closed. The interrupt is for a task that does not end on its own in time.
      thread.join(STOP_GRACE.toMillis());
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(Duration.ofSeconds(30).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
