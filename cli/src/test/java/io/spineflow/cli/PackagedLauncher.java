package io.spineflow.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * The launcher as {@code package} built it (target/spineflow-cli.jar + target/lib), for tests that
 * start spineflow in child JVMs: failsafe's own classpath is a manifest-only jar.
 */
final class PackagedLauncher {
  private PackagedLauncher() {}

  static String classpath() {
    Path target = Path.of("target").toAbsolutePath();
    return target.resolve("spineflow-cli.jar") + ":" + target.resolve("lib") + "/*";
  }

  /** A port free on 127.0.0.1 now, for a child's {@code --http-port}. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
