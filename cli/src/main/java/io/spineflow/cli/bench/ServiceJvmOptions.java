package io.spineflow.cli.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the benchmarks that start services in their own JVMs (soak, backlog). */
final class ServiceJvmOptions {
  @Option(
      names = "--service-jvm-options",
      defaultValue = "-Xmx256m",
      description = "JVM options of each service, space-separated (default: ${DEFAULT-VALUE}).")
  String jvmOptions;

  @Option(
      names = "--timeout-minutes",
      defaultValue = "60",
      description = "Give up after (default: ${DEFAULT-VALUE}).")
  int timeoutMinutes;

  /** The JVM options as arguments. */
  List<String> jvmArguments() {
    return Arrays.stream(jvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  Duration timeout() {
    return Duration.ofMinutes(timeoutMinutes);
  }
}
