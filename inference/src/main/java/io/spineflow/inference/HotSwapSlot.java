package io.spineflow.inference;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Holds the live model and swaps it without stopping the batches: a batch takes a {@link Lease} on
 * whatever is live when it starts and keeps using it to the end; a swap makes the new value live
 * for the next batch at once; the old value is closed only when its last lease is returned, so its
 * native (and GPU) memory is freed without pulling it from under a running batch.
 *
 * @param <T> the served thing (a loaded model)
 */
public final class HotSwapSlot<T> {
  private final Consumer<T> closer;
  private Entry<T> live;

  /**
   * @param closer frees a value that is no longer live and no longer leased
   */
  public HotSwapSlot(Consumer<T> closer) {
    this.closer = closer;
  }

  /** Makes {@code value} live; the previous value is closed once no batch uses it. */
  public synchronized void swap(T value) {
    Entry<T> previous = live;
    live = new Entry<>(value, closer);
    if (previous != null) {
      previous.retire();
    }
    notifyAll();
  }

  /** Waits up to {@code timeout} for a value to be live (the first swap). */
  public synchronized boolean awaitLive(java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (live == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** A lease on the live value, or empty when nothing is live yet. Close the lease when done. */
  public synchronized Optional<Lease<T>> acquire() {
    if (live == null) {
      return Optional.empty();
    }
    live.leases.incrementAndGet();
    return Optional.of(new Lease<>(live));
  }

  /** The live value, for reporting (do not use it for work: take a lease). */
  public synchronized Optional<T> peek() {
    return live == null ? Optional.empty() : Optional.of(live.value);
  }

  /** Retires the live value too (shutdown). */
  public synchronized void close() {
    if (live != null) {
      live.retire();
      live = null;
    }
  }

  /** A batch's hold on one value. */
  public static final class Lease<T> implements AutoCloseable {
    private final Entry<T> entry;
    private boolean closed;

    private Lease(Entry<T> entry) {
      this.entry = entry;
    }

    public T value() {
      return entry.value;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        entry.release();
      }
    }
  }

  private static final class Entry<T> {
    private final T value;
    private final Consumer<T> closer;
    // Starts at 1: the slot's own reference while the value is live.
    private final AtomicInteger leases = new AtomicInteger(1);

    Entry(T value, Consumer<T> closer) {
      this.value = value;
      this.closer = closer;
    }

    void retire() {
      release();
    }

    void release() {
      if (leases.decrementAndGet() == 0) {
        closer.accept(value);
      }
    }
  }
}
