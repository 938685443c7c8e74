package io.spineflow.cli;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./spineflow demo ...} as a separate process, the way a person runs it: its console lines
 * collected as they come, a real SIGINT to stop it.
 */
final class DemoProcess implements AutoCloseable {
  private static final String KAFKA_LINE = "Kafka (embedded, KRaft) on ";

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private DemoProcess(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("<stream closed: " + e.getMessage() + ">");
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code demo} with {@code args} from the packaged launcher (stderr merged). */
  static DemoProcess start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(PackagedLauncher.classpath());
    command.add("io.spineflow.cli.Spineflow");
    command.add("demo");
    command.addAll(List.of(args));
    return new DemoProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  List<String> lines() {
    return lines;
  }

  /** Waits until a line satisfies {@code test}; fails at once if the demo exits. */
  void awaitLine(java.util.function.Predicate<String> test, Duration timeout) {
    await()
        .atMost(timeout)
        .failFast("demo exited: " + lines, () -> !process.isAlive())
        .until(() -> lines.stream().anyMatch(test));
  }

  /** Each service's HTTPS port, from the console's {@code NAME https://localhost:PORT/health}. */
  java.util.Map<String, Integer> servicePorts() {
    java.util.Map<String, Integer> ports = new java.util.TreeMap<>();
    java.util.regex.Pattern health =
        java.util.regex.Pattern.compile("^\\s+(\\S+)\\s+https://localhost:(\\d+)/health$");
    for (String line : lines) {
      java.util.regex.Matcher m = health.matcher(line);
      if (m.matches()) {
        ports.put(m.group(1), Integer.parseInt(m.group(2)));
      }
    }
    return ports;
  }

  /** The demo's self-signed certificate, from the console. */
  Path certificate() {
    String prefix = "HTTPS certificate (self-signed";
    String line = lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    return Path.of(line.substring(line.lastIndexOf(": ") + 2));
  }

  /** A JDK client that trusts the demo's certificate and no other. */
  java.net.http.HttpClient https() {
    return java.net.http.HttpClient.newBuilder()
        .sslContext(io.spineflow.platform.http.Tls.trusting(certificate()))
        .connectTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** The sign-in link the demo prints, {@code https://localhost:PORT/?token=TOKEN}. */
  String signInLink() {
    String prefix = "Sign in (viewer token): ";
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow()
        .substring(prefix.length());
  }

  /** The embedded broker's {@code bootstrap.servers}, from the console. */
  String bootstrapServers() {
    return lines.stream()
        .filter(l -> l.startsWith(KAFKA_LINE))
        .findFirst()
        .orElseThrow()
        .substring(KAFKA_LINE.length());
  }

  /** Ctrl-C: a real SIGINT; returns the exit code (130 after Ctrl-C). */
  int interrupt(Duration timeout) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("demo did not stop within " + timeout + " of Ctrl-C");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
