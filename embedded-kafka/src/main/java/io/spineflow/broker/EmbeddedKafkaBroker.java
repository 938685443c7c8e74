package io.spineflow.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) running inside this JVM: the
 * broker the demo and the integration tests use. Its log directory survives {@link #close()}, so a
 * broker started again on the same directory (and ports) resumes with every topic and offset.
 *
 * <p>Note: Kafka installs a fault handler that halts the JVM on a fatal metadata fault; that is
 * Kafka's own choice for a broker process and is kept here.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private final Path logDir;
  private final int port;
  private final int controllerPort;
  private final Map<String, String> overrides;
  private final KafkaRaftServer server;

  private EmbeddedKafkaBroker(
      Path logDir,
      int port,
      int controllerPort,
      Map<String, String> overrides,
      KafkaRaftServer server) {
    this.logDir = logDir;
    this.overrides = Map.copyOf(overrides);
    this.port = port;
    this.controllerPort = controllerPort;
    this.server = server;
  }

  /**
   * Formats {@code logDir} if it is new and starts the broker.
   *
   * @param port the client port on 127.0.0.1, or 0 for a free one
   * @param overrides extra broker settings (e.g. {@code message.max.bytes}); may be empty
   */
  public static EmbeddedKafkaBroker start(Path logDir, int port, Map<String, String> overrides) {
    int clientPort = port == 0 ? freePort() : port;
    int controllerPort = freePort();
    try {
      Files.createDirectories(logDir);
      Properties props = brokerProperties(logDir, clientPort, controllerPort, overrides);
      formatIfNew(logDir, props);
      KafkaRaftServer server =
          new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      return new EmbeddedKafkaBroker(logDir, clientPort, controllerPort, overrides, server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Kafka log directory " + logDir, e);
    }
  }

  /** Starts a broker on a fresh temporary directory and a free port. */
  public static EmbeddedKafkaBroker startTemporary() {
    try {
      return start(Files.createTempDirectory("spineflow-kafka-"), 0, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Properties brokerProperties(
      Path logDir, int clientPort, int controllerPort, Map<String, String> overrides) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    // One node: internal topics cannot have more replicas, or groups and transactions hang.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "3");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "3");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // Without this every new consumer group waits 3 s before its first assignment.
    p.put("group.initial.rebalance.delay.ms", "0");
    // Raw studies arrive as single messages of up to 32 MiB (see Topics.UPLOAD_MAX_BYTES).
    p.put("message.max.bytes", Integer.toString(40 << 20));
    p.put("replica.fetch.max.bytes", Integer.toString(40 << 20));
    p.put("socket.request.max.bytes", Integer.toString(120 << 20));
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "3");
    p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    p.putAll(overrides);
    return p;
  }

  private static void formatIfNew(Path logDir, Properties props) throws IOException {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    Path config = Files.createTempFile("spineflow-kafka-", ".properties");
    try {
      try (OutputStream out = Files.newOutputStream(config)) {
        props.store(out, "spineflow embedded broker");
      }
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      int code =
          StorageTool.execute(
              new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "-g"
              },
              new PrintStream(log, true, StandardCharsets.UTF_8));
      if (code != 0) {
        throw new IllegalStateException(
            "formatting Kafka log directory "
                + logDir
                + " failed: "
                + log.toString(StandardCharsets.UTF_8));
      }
    } finally {
      Files.deleteIfExists(config);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path logDir() {
    return logDir;
  }

  /**
   * Restarts on the same directory and client port: what a broker restart looks like to clients.
   */
  public EmbeddedKafkaBroker restart() {
    close();
    return start(logDir, port, overrides);
  }

  int controllerPort() {
    return controllerPort;
  }

  /** Stops the broker and waits until it has; the log directory stays. */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
