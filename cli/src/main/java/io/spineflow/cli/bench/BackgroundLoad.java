package io.spineflow.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code --background-load}: another process keeping one core busy for as long as a benchmark runs,
 * as a production machine is rarely idle. A process of its own (this JVM's java and classpath,
 * {@link #main} spinning one thread), not a thread here, so the operating system schedules it as it
 * would a neighbour's job.
 */
final class BackgroundLoad implements AutoCloseable {
  private final Process process;

  private BackgroundLoad(Process process) {
    this.process = process;
  }

  /** Starts the busy process; {@link #close} stops it. */
  static BackgroundLoad start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx32m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    BackgroundLoad.class.getName()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return new BackgroundLoad(p);
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
    }
  }

  /** Spins one thread until killed. */
  public static void main(String[] args) {
    long x = 0;
    while (true) {
      // A data dependency the JIT cannot drop: the loop stays busy work.
      x = x * 6364136223846793005L + 1442695040888963407L;
      if (x == 42) {
        System.out.println(x);
      }
    }
  }
}
