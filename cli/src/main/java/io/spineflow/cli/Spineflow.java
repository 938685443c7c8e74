package io.spineflow.cli;

import io.spineflow.cli.bench.BenchCommand;
import io.spineflow.platform.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./spineflow}: the one entry point. Every problem the operator can fix (an unknown option,
 * an unreachable broker, a port in use, a bad file) ends as one line naming the option or setting,
 * exit code 2, never a stack trace.
 */
@Command(
    name = "spineflow",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Streaming segmentation of lumbar-spine MRI on Kafka.",
    subcommands = {
      DemoCommand.class,
      ServiceCommand.Ingest.class,
      ServiceCommand.Preprocess.class,
      ServiceCommand.Inference.class,
      ServiceCommand.Results.class,
      ServiceCommand.Trainer.class,
      ServiceCommand.Dashboard.class,
      ServiceCommand.Delivery.class,
      InspectCommand.class,
      MeasureCommand.class,
      ExportCommand.class,
      PhantomCommand.class,
      PushCommand.class,
      ForgetCommand.class,
      EvaluateCommand.class,
      TrainCommand.class,
      io.spineflow.cli.bench.BenchCommand.class,
      ConfigTableCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class Spineflow {
  /** Exit code for bad usage or configuration (a one-line message was printed). */
  public static final int USAGE = 2;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams; returns the exit code. Used by tests. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Spineflow());
    // `./spineflow ingest --help` must work on every command, not only where it was declared.
    addHelpOptions(cli);
    SettingOptions.addTo(cli.getSubcommands().get("push").getCommandSpec(), PushCommand.SETTINGS);
    SettingOptions.addTo(
        cli.getSubcommands().get("forget").getCommandSpec(), ForgetCommand.SETTINGS);
    SettingOptions.addTo(
        cli.getSubcommands().get("export").getCommandSpec(), ExportCommand.SETTINGS);
    SettingOptions.addTo(
        cli.getSubcommands().get("bench").getSubcommands().get("drift").getCommandSpec(),
        BenchCommand.Drift.SETTINGS);
    for (ServiceModule module : ServiceModules.all()) {
      CommandLine sub = cli.getSubcommands().get(module.name());
      if (sub != null) {
        SettingOptions.addTo(sub.getCommandSpec(), ServiceCommand.settingsOf(module));
      }
    }
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("spineflow: " + ex.getMessage());
          ex.getCommandLine()
              .getErr()
              .println(
                  "Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("spineflow: " + oneLine(ex));
          return USAGE;
        });
    return cli;
  }

  private static void addHelpOptions(CommandLine command) {
    for (CommandLine sub : command.getSubcommands().values()) {
      if (sub.getCommandSpec().optionsMap().get("--help") == null) {
        sub.getCommandSpec().mixinStandardHelpOptions(true);
      }
      addHelpOptions(sub);
    }
  }

  /** The operator-facing line for a failure: the setting and problem, not a stack trace. */
  static String oneLine(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof ConfigException) {
        return t.getMessage();
      }
    }
    String message = ex.getMessage();
    return message == null ? ex.getClass().getSimpleName() : message;
  }
}
