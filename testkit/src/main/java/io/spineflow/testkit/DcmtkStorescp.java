package io.spineflow.testkit;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * dcmtk's {@code storescp} as a real foreign C-STORE receiver for tests: started on a loopback port
 * with its own output directory, in bit-preserving mode ({@code +B}: each received data set written
 * exactly as it came), and waited for until it listens. Tests skip themselves with {@link
 * #installed()} when dcmtk is not on the PATH.
 */
public final class DcmtkStorescp implements AutoCloseable {
  public static final String AE = "STORESCP";

  private final Process process;
  private final int port;
  private final Path outputDir;
  private final Path log;

  private DcmtkStorescp(Process process, int port, Path outputDir, Path log) {
    this.process = process;
    this.port = port;
    this.outputDir = outputDir;
    this.log = log;
  }

  /** Whether {@code storescp} and {@code dcmdump} are on the PATH. */
  public static boolean installed() {
    return onPath("storescp") && onPath("dcmdump");
  }

  /** A loopback port nobody listens on now (the OS's next ephemeral one). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Starts {@code storescp} on {@code port}, writing into {@code outputDir}, with {@code options}
   * before the port (e.g. {@code +xi} to accept only Implicit VR Little Endian); returns once it
   * accepts connections (within 20 s).
   */
  public static DcmtkStorescp start(int port, Path outputDir, String... options)
      throws IOException {
    Files.createDirectories(outputDir);
    Path log = Files.createTempFile(outputDir.getParent(), "storescp", ".log");
    List<String> command = new ArrayList<>(List.of("storescp", "-aet", AE, "+B"));
    command.addAll(List.of(options));
    command.addAll(List.of("-od", outputDir.toString(), Integer.toString(port)));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    DcmtkStorescp scp = new DcmtkStorescp(process, port, outputDir, log);
    try {
      Awaitility.await("storescp listening on " + port)
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !process.isAlive() || scp.listening());
      if (!process.isAlive()) {
        throw new IOException("storescp exited: " + scp.log());
      }
    } catch (IOException | RuntimeException e) {
      scp.close();
      throw e;
    }
    return scp;
  }

  private boolean listening() {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  /** The files storescp wrote, by name. */
  public List<Path> received() throws IOException {
    try (Stream<Path> files = Files.list(outputDir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** What storescp printed so far. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  /** {@code dcmdump} of {@code file}: exit status and output. */
  public static String dcmdump(Path file) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("dcmdump", "+P", "0008,0018", "+P", "0008,0016", file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("dcmdump failed on " + file + ": " + output);
    }
    return output;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String entry : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, program))) {
        return true;
      }
    }
    return false;
  }
}
