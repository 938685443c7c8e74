package io.spineflow.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the scheduling priority (the Linux nice value) of the calling thread, for background work
 * that must not take the cores from latency-critical threads of the same process: loading and
 * warming a new model while another serves. Java has no such API (thread priorities are ignored on
 * Linux without root), but Linux schedules threads, not processes, and lets anyone raise their own
 * nice value: {@code renice -n N -p TID} on the thread's id (from {@code /proc/thread-self})
 * affects that thread alone. Threads it creates afterwards inherit the value, so the intra-op
 * worker pool an OpenMP runtime starts for that thread's first parallel region (libgomp keeps one
 * per master thread) runs at the same low priority.
 *
 * <p>Best effort: where it cannot apply (not Linux, no {@code renice}), the outcome says why and
 * the thread runs on at its priority.
 */
public final class ThreadPriority {
  private static final Path THREAD_SELF = Path.of("/proc/thread-self");

  private ThreadPriority() {}

  /**
   * What happened.
   *
   * @param applied the thread's nice value is now the one asked for
   * @param nice the thread's nice value afterwards, or {@link Integer#MIN_VALUE} when unknown
   * @param detail why not, when not applied
   */
  public record Outcome(boolean applied, int nice, String detail) {}

  /**
   * Sets the calling thread's nice value to {@code nice} (0..19; 0 leaves it alone).
   *
   * @throws IllegalArgumentException outside 0..19
   */
  public static Outcome lowerCurrentThread(int nice) {
    if (nice < 0 || nice > 19) {
      throw new IllegalArgumentException("nice must be 0..19, got " + nice);
    }
    if (nice == 0) {
      return new Outcome(true, currentNice(), "");
    }
    String tid;
    try {
      tid = Files.readSymbolicLink(THREAD_SELF).getFileName().toString();
    } catch (IOException | UnsupportedOperationException e) {
      return new Outcome(false, Integer.MIN_VALUE, "no " + THREAD_SELF + " (not Linux?)");
    }
    try {
      Process renice =
          new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!renice.waitFor(10, TimeUnit.SECONDS)) {
        renice.destroyForcibly();
        return new Outcome(false, currentNice(), "renice did not finish in 10 s");
      }
      int now = currentNice();
      return now == nice
          ? new Outcome(true, now, "")
          : new Outcome(false, now, "renice exited " + renice.exitValue() + ", nice is " + now);
    } catch (IOException e) {
      return new Outcome(false, currentNice(), "cannot run renice: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, currentNice(), "interrupted");
    }
  }

  /** The calling thread's nice value ({@code /proc/thread-self/stat}), or MIN_VALUE if unknown. */
  public static int currentNice() {
    try {
      String stat = Files.readString(THREAD_SELF.resolve("stat"), StandardCharsets.US_ASCII);
      // The command name (field 2) may hold spaces and parentheses: count fields after its ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields 3.. start at index 0 here; nice is field 19.
      return Integer.parseInt(fields[19 - 3]);
    } catch (IOException | RuntimeException e) {
      return Integer.MIN_VALUE;
    }
  }
}
