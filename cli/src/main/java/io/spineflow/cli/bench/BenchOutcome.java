package io.spineflow.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a benchmark hands back to {@link BenchSubcommand}: its figures, printed last as {@code
 * RESULT <name> <value>} lines in the order added (the headline figure last), and whether the
 * invariants it checks on the side held (0 lost, exactly once, lag back to 0, …), which sets the
 * exit code.
 *
 * @param results the {@code RESULT} lines, headline last
 * @param passed whether every invariant held
 */
record BenchOutcome(List<Result> results, boolean passed) {

  /**
   * One {@code RESULT} line.
   *
   * @param name the figure's name, {@code snake_case}
   * @param value the figure
   * @param decimals digits after the point in the printed line
   */
  record Result(String name, double value, int decimals) {
    String line() {
      return String.format(Locale.ROOT, "RESULT %s %." + decimals + "f", name, value);
    }
  }

  BenchOutcome {
    results = List.copyOf(results);
    if (results.isEmpty()) {
      throw new IllegalArgumentException("a benchmark reports at least one figure");
    }
  }

  /** One figure, no invariants beyond it. */
  static BenchOutcome of(String name, double value, int decimals) {
    return new BenchOutcome(List.of(new Result(name, value, decimals)), true);
  }

  /** This outcome with another figure printed before the ones already here. */
  BenchOutcome withBefore(String name, double value, int decimals) {
    List<Result> all = new ArrayList<>();
    all.add(new Result(name, value, decimals));
    all.addAll(results);
    return new BenchOutcome(all, passed);
  }

  /** This outcome, failed unless {@code invariant} holds. */
  BenchOutcome requiring(boolean invariant) {
    return new BenchOutcome(results, passed && invariant);
  }

  /** Prints the {@code RESULT} lines; they are the last lines a benchmark prints. */
  void print(PrintWriter out) {
    results.forEach(r -> out.println(r.line()));
    out.flush();
  }
}
