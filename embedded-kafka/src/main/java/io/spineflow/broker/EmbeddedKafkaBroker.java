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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) running inside this JVM: the
 * broker the demo and the integration tests use. Its log directory survives {@link #close()}, so a
 * broker started again on the same directory (and ports) resumes with every topic and offset.
 *
 * <p>Clients connect in PLAINTEXT ({@link #start}) or, to exercise authentication, must log in with
 * SASL/SCRAM-SHA-256 ({@link #startWithScram}).
 *
 * <p>Note: Kafka installs a fault handler that halts the JVM on a fatal metadata fault; that is
 * Kafka's own choice for a broker process and is kept here.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  /**
   * The user a SCRAM broker logs in as to reach itself over its SASL listener (inter-broker
   * traffic); {@link #startWithScram} requires a password for it.
   */
  public static final String BROKER_USER = "broker";

  private static final String SCRAM = "SCRAM-SHA-256";

  private final Path logDir;
  private final int port;
  private final int controllerPort;
  private final Quorum quorum;
  private final Map<String, String> overrides;
  private final Map<String, String> scramUsers;
  private final KafkaRaftServer server;

  private EmbeddedKafkaBroker(
      Path logDir,
      int port,
      int controllerPort,
      Quorum quorum,
      Map<String, String> overrides,
      Map<String, String> scramUsers,
      KafkaRaftServer server) {
    this.logDir = logDir;
    this.overrides = Map.copyOf(overrides);
    this.scramUsers = Map.copyOf(scramUsers);
    this.port = port;
    this.controllerPort = controllerPort;
    this.quorum = quorum;
    this.server = server;
  }

  /**
   * A node's place in its KRaft quorum.
   *
   * @param nodeId this node's {@code node.id}
   * @param voters {@code controller.quorum.voters}: every node's {@code id@host:controllerPort}
   * @param nodes how many nodes the cluster has: the replication of Kafka's internal topics
   * @param clusterId the id every node's directory is formatted with; null for a new random one
   */
  record Quorum(int nodeId, String voters, int nodes, String clusterId) {
    /** A single node, broker and controller in one, that is its own quorum. */
    static Quorum single(int controllerPort) {
      return new Quorum(1, "1@127.0.0.1:" + controllerPort, 1, null);
    }
  }

  /**
   * Formats {@code logDir} if it is new and starts the broker.
   *
   * @param port the client port on 127.0.0.1, or 0 for a free one
   * @param overrides extra broker settings (e.g. {@code message.max.bytes}); may be empty
   */
  public static EmbeddedKafkaBroker start(Path logDir, int port, Map<String, String> overrides) {
    return start(logDir, port, overrides, Map.of());
  }

  /**
   * Like {@link #start}, but clients must log in with SASL/SCRAM-SHA-256 (security protocol
   * SASL_PLAINTEXT, see {@link #scramClientProperties}) as one of {@code users}.
   *
   * <p>The credentials are written into the metadata log when {@code logDir} is formatted, so they
   * take effect on a new directory only; a broker started again on the same directory keeps the
   * ones it was formatted with.
   *
   * @param users user name to password; must include {@link #BROKER_USER}. Names and passwords may
   *     not contain commas, quotes, backslashes or whitespace (the syntax of {@code kafka-storage
   *     format --add-scram} and of JAAS has no escapes for them).
   */
  public static EmbeddedKafkaBroker startWithScram(
      Path logDir, int port, Map<String, String> users) {
    if (!users.containsKey(BROKER_USER)) {
      throw new IllegalArgumentException(
          "users must include '" + BROKER_USER + "': the broker logs in to itself as that user");
    }
    users.forEach(
        (user, password) -> {
          requirePlain("user name", user);
          requirePlain("password of " + user, password);
        });
    return start(logDir, port, Map.of(), users);
  }

  /**
   * The client settings (the content of a {@code kafka.properties} file) that log in to a broker
   * started with {@link #startWithScram} as {@code user}.
   */
  public static Map<String, String> scramClientProperties(String user, String password) {
    return Map.of(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        SecurityProtocol.SASL_PLAINTEXT.name,
        SaslConfigs.SASL_MECHANISM,
        SCRAM,
        SaslConfigs.SASL_JAAS_CONFIG,
        scramJaas(user, password));
  }

  private static EmbeddedKafkaBroker start(
      Path logDir, int port, Map<String, String> overrides, Map<String, String> scramUsers) {
    int controllerPort = freePort();
    return startNode(
        logDir,
        port == 0 ? freePort() : port,
        controllerPort,
        Quorum.single(controllerPort),
        overrides,
        scramUsers);
  }

  /**
   * Formats {@code logDir} if it is new and starts one node of {@code quorum}. A node of a larger
   * quorum returns only once a majority of the quorum runs (its broker waits for an active
   * controller), so a cluster starts its nodes at the same time.
   */
  static EmbeddedKafkaBroker startNode(
      Path logDir,
      int clientPort,
      int controllerPort,
      Quorum quorum,
      Map<String, String> overrides,
      Map<String, String> scramUsers) {
    try {
      Files.createDirectories(logDir);
      Properties props =
          brokerProperties(logDir, clientPort, controllerPort, quorum, overrides, scramUsers);
      formatIfNew(logDir, props, quorum.clusterId(), scramUsers);
      KafkaRaftServer server =
          new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      return new EmbeddedKafkaBroker(
          logDir, clientPort, controllerPort, quorum, overrides, scramUsers, server);
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

  /**
   * @param scramUsers empty for a PLAINTEXT client listener, else the SCRAM users of a SASL one
   */
  static Properties brokerProperties(
      Path logDir,
      int clientPort,
      int controllerPort,
      Quorum quorum,
      Map<String, String> overrides,
      Map<String, String> scramUsers) {
    // One client listener, named after its protocol. The controller listener stays PLAINTEXT even
    // with SCRAM: KRaft controllers cannot check SCRAM logins, whose credentials live in the
    // metadata log the controllers themselves serve. It is bound to 127.0.0.1 and not advertised,
    // so no client is sent there.
    String client = scramUsers.isEmpty() ? "PLAINTEXT" : "SASL_PLAINTEXT";
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(quorum.nodeId()));
    p.put("controller.quorum.voters", quorum.voters());
    p.put(
        "listeners",
        client + "://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", client + "://127.0.0.1:" + clientPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
    // Inter-broker traffic uses the client listener. Even alone, the broker connects to itself:
    // partition leader and transaction coordinator talk over it (partitions added to a
    // transaction, commit markers), so every transactional write fails unless it can log in. A
    // separate PLAINTEXT inter-broker listener is no way out: Kafka requires
    // inter.broker.listener.name to be advertised, so clients would be offered an unauthenticated
    // door. Hence the broker logs in to its own SASL listener as BROKER_USER.
    p.put("inter.broker.listener.name", client);
    if (!scramUsers.isEmpty()) {
      p.put("sasl.enabled.mechanisms", SCRAM);
      p.put("sasl.mechanism.inter.broker.protocol", SCRAM);
      p.put(
          "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
          scramJaas(BROKER_USER, scramUsers.get(BROKER_USER)));
    }
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    // Internal topics on every node (one node: they cannot have more replicas, or groups and
    // transactions hang); on a cluster they must survive a node's loss like the data topics.
    String replicas = Integer.toString(quorum.nodes());
    String minIsr = Integer.toString(Math.max(1, quorum.nodes() - 1));
    p.put("offsets.topic.replication.factor", replicas);
    p.put("offsets.topic.num.partitions", "3");
    p.put("transaction.state.log.replication.factor", replicas);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("transaction.state.log.num.partitions", "3");
    p.put("share.coordinator.state.topic.replication.factor", replicas);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
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

  private static void formatIfNew(
      Path logDir, Properties props, String clusterId, Map<String, String> scramUsers)
      throws IOException {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    Path config = Files.createTempFile("spineflow-kafka-", ".properties");
    try {
      try (OutputStream out = Files.newOutputStream(config)) {
        props.store(out, "spineflow embedded broker");
      }
      List<String> args =
          new ArrayList<>(
              List.of(
                  "format",
                  "-t",
                  clusterId != null ? clusterId : Uuid.randomUuid().toString(),
                  "-c",
                  config.toString(),
                  "-g"));
      // KRaft keeps SCRAM credentials in the metadata log; the first ones, including the
      // broker's own, must be in it before the broker starts, so they are added at format time.
      new TreeMap<>(scramUsers)
          .forEach(
              (user, password) ->
                  args.addAll(
                      List.of(
                          "--add-scram",
                          SCRAM + "=[name=" + user + ",password=" + password + "]")));
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      int code =
          StorageTool.execute(
              args.toArray(String[]::new), new PrintStream(log, true, StandardCharsets.UTF_8));
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

  private static String scramJaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private static void requirePlain(String what, String value) {
    if (value == null || !value.matches("[^,\"\\\\\\s]+")) {
      throw new IllegalArgumentException(
          what + " must be non-empty without commas, quotes, backslashes or whitespace");
    }
  }

  static int freePort() {
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
    if (quorum.nodes() == 1) {
      return start(logDir, port, overrides, scramUsers);
    }
    // A node of a larger quorum keeps its controller port: the other voters know it by it.
    return startNode(logDir, port, controllerPort, quorum, overrides, scramUsers);
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
