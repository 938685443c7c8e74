package io.spineflow.cli;

import io.spineflow.broker.EmbeddedKafkaBroker;
import io.spineflow.platform.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

/** Starts the demo's embedded broker, with a one-line error when its port is taken. */
final class DemoBroker {
  private DemoBroker() {}

  static EmbeddedKafkaBroker start(Path logDir, int port) {
    if (port != 0) {
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        probe.setReuseAddress(true);
      } catch (IOException e) {
        throw new ConfigException(
            "--kafka-port",
            "port " + port + " is already in use (another Kafka? pick another port)");
      }
    }
    return EmbeddedKafkaBroker.start(logDir, port, Map.of());
  }
}
