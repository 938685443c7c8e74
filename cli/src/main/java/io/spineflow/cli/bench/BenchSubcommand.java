package io.spineflow.cli.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The one shape of a {@code bench} subcommand: its options are fields, {@link #measure} prints what
 * it measures as it goes and returns the figures; this class prints them last as {@code RESULT}
 * lines and turns the invariants into the exit code (1 when one failed).
 */
abstract class BenchSubcommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Runs the benchmark, printing progress and side-by-side figures to {@code out}. */
  abstract BenchOutcome measure(PrintWriter out) throws Exception;

  @Override
  public final Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    BenchOutcome outcome = measure(out);
    outcome.print(out);
    return outcome.passed() ? 0 : 1;
  }

  /** Where progress that is not part of the report goes (e.g. the work directory chosen). */
  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The command line as typed, for reports that record how they were made. */
  String commandLine() {
    return "./spineflow "
        + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
  }
}
