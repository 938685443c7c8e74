package io.spineflow.cli.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the benchmarks that start services in their own JVMs (soak, backlog). */
final class ServiceJvmOptions {
  /**
   * As the README advises for deployments: the heap bounded, committed and touched at start, so a
   * service's RSS is flat from the start instead of growing as the heap's pages are first used
   * (which the soak once took for a leak: ingest 1.19-1.25 without pre-touch, 1.04 with it).
   */
  static final String DEFAULT = "-Xmx256m -Xms256m -XX:+AlwaysPreTouch";

  @Option(
      names = "--service-jvm-options",
      defaultValue = DEFAULT,
      description = "JVM options of each service, space-separated (default: ${DEFAULT-VALUE}).")
  String jvmOptions;

  @Option(
      names = "--timeout-minutes",
      defaultValue = "60",
      description = "Give up after (default: ${DEFAULT-VALUE}).")
  int timeoutMinutes;

  /** The JVM options as arguments. */
  List<String> jvmArguments() {
    return split(jvmOptions);
  }

  static List<String> split(String options) {
    return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  Duration timeout() {
    return Duration.ofMinutes(timeoutMinutes);
  }
}
