package io.spineflow.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A console progress bar for a long loop of known length, e.g. {@code evaluate [######----] 6/10
 * studies 1:12 IVD_25}. On a terminal it redraws one line; elsewhere (a log, a test) it prints a
 * line per tenth of the loop (and the last step), so nothing is lost to carriage returns and a long
 * loop does not flood a log.
 */
public final class ConsoleProgress {
  private static final int BAR_WIDTH = 24;

  private final PrintWriter out;
  private final String task;
  private final String unit;
  private final int total;
  private final boolean redraw;
  private final LongSupplier nanoTime;
  private final long start;
  private int done;

  /**
   * @param out where to draw (the command's error stream, so results on standard output stay clean)
   * @param task what the loop does, e.g. {@code evaluate}
   * @param unit what it counts, e.g. {@code studies}
   * @param total steps in the loop, at least 0
   * @param redraw true on a terminal: redraw one line with {@code \r}
   * @param nanoTime the clock, {@link System#nanoTime} outside tests
   */
  public ConsoleProgress(
      PrintWriter out, String task, String unit, int total, boolean redraw, LongSupplier nanoTime) {
    if (total < 0) {
      throw new IllegalArgumentException("total must be >= 0: " + total);
    }
    this.out = out;
    this.task = task;
    this.unit = unit;
    this.total = total;
    this.redraw = redraw;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
  }

  /** A bar on {@code out} that redraws when the JVM has a console. */
  public static ConsoleProgress of(PrintWriter out, String task, String unit, int total) {
    return new ConsoleProgress(out, task, unit, total, System.console() != null, System::nanoTime);
  }

  /** Marks one more step done; {@code what} names it (e.g. the study just finished). */
  public void step(String what) {
    done = Math.min(total, done + 1);
    if (!redraw && done < total && done % Math.max(1, total / 10) != 0) {
      return;
    }
    out.print((redraw ? "\r" : "") + line(what) + (redraw ? "\u001b[K" : System.lineSeparator()));
    if (redraw && done == total) {
      out.println();
    }
    out.flush();
  }

  /** Steps done so far. */
  public int done() {
    return done;
  }

  /** The bar's text after the current step. */
  String line(String what) {
    int filled = total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * done / total);
    Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %d/%d %s %d:%02d %s",
        task,
        "#".repeat(filled),
        "-".repeat(BAR_WIDTH - filled),
        done,
        total,
        unit,
        elapsed.toMinutes(),
        elapsed.toSecondsPart(),
        what);
  }
}
