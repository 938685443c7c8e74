package io.spineflow.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One spineflow service ({@code ./spineflow <service> ...}) running in its own JVM, the way it runs
 * in production: a real process with its own memory, that can be killed with {@code SIGKILL}
 * (nothing of it runs after) and started again on the same data directory. Its console goes to a
 * log file.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String service;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private final int httpPort;
  private Process process;

  private ServiceProcess(
      String service,
      List<String> command,
      Map<String, String> environment,
      Path log,
      int httpPort) {
    this.service = service;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.log = log;
    this.httpPort = httpPort;
  }

  /**
   * Starts {@code service} with {@code args} (command-line settings such as {@code
   * --bootstrap-servers}); {@code --http-port} is added from {@code httpPort}.
   *
   * @param classpath the launcher's classpath (see {@link #currentClasspath()})
   * @param jvmOptions extra JVM options, e.g. {@code -Xmx512m}
   */
  public static ServiceProcess start(
      String classpath,
      String service,
      int httpPort,
      List<String> jvmOptions,
      List<String> args,
      Path log) {
    return start(classpath, service, httpPort, jvmOptions, args, Map.of(), log);
  }

  /**
   * The same, with {@code environment} set over this JVM's (e.g. {@code HOSTNAME}, from which
   * inference takes a StatefulSet-style instance id: several instances on one machine must not
   * inherit one).
   */
  public static ServiceProcess start(
      String classpath,
      String service,
      int httpPort,
      List<String> jvmOptions,
      List<String> args,
      Map<String, String> environment,
      Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dai.djl.offline=true");
    command.add("-cp");
    command.add(classpath);
    command.add(Spineflow.class.getName());
    command.add(service);
    command.add("--http-port=" + httpPort);
    command.addAll(args);
    ServiceProcess child = new ServiceProcess(service, command, environment, log, httpPort);
    child.launch();
    return child;
  }

  /** The classpath of this JVM, for children started from the launcher itself. */
  public static String currentClasspath() {
    return System.getProperty("java.class.path");
  }

  private void launch() {
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + service, e);
    }
  }

  public String service() {
    return service;
  }

  public int httpPort() {
    return httpPort;
  }

  public Path log() {
    return log;
  }

  /** The last {@code count} lines of the console log (for a failure message). */
  public String logTail(int count) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** {@code GET /health} answered 200 (the service is up and connected). */
  public boolean healthy() {
    if (!process.isAlive()) {
      return false;
    }
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until {@link #healthy()}, checking every 250 ms.
   *
   * @throws IllegalStateException with the log's tail when the process exits or {@code timeout}
   *     passes first
   */
  public void awaitHealthy(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!healthy()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            service
                + (process.isAlive() ? " not healthy within " + timeout : " exited")
                + ":\n"
                + logTail(30));
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  /**
   * The service's Prometheus samples ({@code /metrics}) by metric name, the samples of one name
   * (its tags) summed; empty when it does not answer.
   */
  public Map<String, Double> metrics() {
    Map<String, Double> out = new HashMap<>();
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return out;
      }
      for (String line : response.body().split("\n")) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        int nameEnd = brace >= 0 ? brace : line.indexOf(' ');
        if (nameEnd <= 0 || space <= 0) {
          continue;
        }
        try {
          out.merge(
              line.substring(0, nameEnd),
              Double.parseDouble(line.substring(space + 1)),
              Double::sum);
        } catch (NumberFormatException e) {
          // not a sample line
        }
      }
    } catch (IOException e) {
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /**
   * Resident set size of the process in bytes, from {@code /proc/PID/status} (Linux); empty once it
   * has exited or where /proc is absent.
   */
  public OptionalLong residentBytes() {
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
        }
      }
      return OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * {@code SIGKILL}: the process ends at once, with no shutdown hook, no flush and no commit. Waits
   * until it is gone.
   */
  public void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /** {@code SIGTERM}: the service stops cleanly (its shutdown hook runs). */
  public void stop(Duration timeout) {
    process.destroy();
    if (!awaitExit(timeout)) {
      kill();
    }
  }

  /**
   * Starts the same command again (after {@link #kill()} or {@link #stop}), appending to its log.
   */
  public void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException(service + " is still running");
    }
    launch();
  }

  private boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      stop(Duration.ofSeconds(20));
    }
  }

  @Override
  public String toString() {
    return service + "[pid " + (process == null ? "-" : process.pid()) + ", log " + log + "]";
  }
}
