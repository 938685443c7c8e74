package io.spineflow.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.spineflow.broker.EmbeddedKafkaBroker;
import io.spineflow.events.Study;
import io.spineflow.imaging.Sequence;
import io.spineflow.platform.ConfigException;
import io.spineflow.schemas.Topic;
import io.spineflow.testkit.TopicReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The real ingest service against a broker that requires SASL/SCRAM-SHA-256, configured only
 * through a {@code kafka.properties} file of standard Kafka client settings: every client it uses
 * (admin, producers, consumers, exactly-once Streams) logs in with them, and no password shows up
 * in the logs.
 */
class IngestScramIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String SERVICE_USER = "ingest";
  private static final String SERVICE_PASSWORD = "ingest-" + UUID.randomUUID();
  private static final String TESTER = "tester";
  private static final String TESTER_PASSWORD = "tester-" + UUID.randomUUID();
  private static final String BROKER_PASSWORD = "broker-" + UUID.randomUUID();
  private static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();
  private static final List<String> KAFKA_LOGGERS = List.of("org.apache.kafka", "kafka");

  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static final Map<String, Level> kafkaLevels = new HashMap<>();
  private static EmbeddedKafkaBroker broker;

  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    // Captured from before the broker starts, so the broker's own logs are checked too. Kafka
    // logs every client's configuration at INFO: that is where a password would leak, so INFO it
    // is for this class (the test configuration keeps Kafka at WARN).
    logs.start();
    root().addAppender(logs);
    for (String name : KAFKA_LOGGERS) {
      Logger logger = logger(name);
      kafkaLevels.put(name, logger.getLevel());
      logger.setLevel(Level.INFO);
    }
    broker =
        EmbeddedKafkaBroker.startWithScram(
            Files.createTempDirectory("ingest-scram-"),
            0,
            Map.of(
                EmbeddedKafkaBroker.BROKER_USER,
                BROKER_PASSWORD,
                SERVICE_USER,
                SERVICE_PASSWORD,
                TESTER,
                TESTER_PASSWORD));
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
    kafkaLevels.forEach((name, level) -> logger(name).setLevel(level));
    root().detachAppender(logs);
    logs.stop();
  }

  /**
   * Studies through the Kafka door and through HTTP each become one {@code studies} event, read
   * back read_committed by a separate SCRAM client; {@code /health} is up; no password was logged,
   * though the client configurations were (with {@code sasl.jaas.config = [hidden]}).
   */
  @Test
  void aServiceConfiguredOnlyByKafkaPropertiesIngestsOverScram(@TempDir Path dir) throws Exception {
    Path kafkaProperties = kafkaProperties(dir, SERVICE_USER, SERVICE_PASSWORD);
    RunningIngest.PhantomFiles kafkaStudy = RunningIngest.phantom(Sequence.T2, 21, 0.15);
    RunningIngest.PhantomFiles httpStudy = RunningIngest.phantom(Sequence.T2, 22, 0.15);

    try (RunningIngest ingest = start(dir, kafkaProperties)) {
      try (KafkaProducer<String, byte[]> pacs =
          new KafkaProducer<>(pacsClient(), new StringSerializer(), new ByteArraySerializer())) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(UploadHeaders.SEQUENCE, "T2".getBytes(UTF_8));
        pacs.send(
                new ProducerRecord<>(
                    ingest.context.topics().studiesUpload().name(),
                    null,
                    "kafka-scram",
                    kafkaStudy.image(),
                    headers))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }

      HttpResponse<String> accepted =
          http.send(
              HttpRequest.newBuilder(ingest.uri("/studies?uid=http-scram&sequence=T2"))
                  .header("Authorization", "Bearer " + RunningIngest.TOKEN)
                  .header("Content-Type", "application/octet-stream")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(httpStudy.image()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(accepted.statusCode()).isEqualTo(202);

      assertThat(committedStudyUids(ingest.context.topics().studies(), 2))
          .containsExactlyInAnyOrder("kafka-scram", "http-scram");

      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(ingest.uri("/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    }

    assertThat(capturedLogs())
        .as("the client configurations were logged, so the next check means something")
        .anySatisfy(line -> assertThat(line).contains("sasl.jaas.config = [hidden]"));
    assertNoPasswordLogged();
  }

  /**
   * A wrong password stops the service before it starts, with one line that says authentication
   * failed and names {@code kafka.properties} and the SASL settings, never the password.
   */
  @Test
  void aWrongPasswordRefusesToStartWithOneLineNamingKafkaProperties(@TempDir Path dir)
      throws Exception {
    Path kafkaProperties = kafkaProperties(dir, SERVICE_USER, WRONG_PASSWORD);

    assertThatThrownBy(() -> start(dir, kafkaProperties).close())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "kafka.properties: authentication to Kafka at " + broker.bootstrapServers() + " failed")
        .hasMessageContaining("sasl.jaas.config")
        .hasMessageNotContaining(WRONG_PASSWORD)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertNoPasswordLogged();
  }

  /** The service's settings: its own broker and, for Kafka security, only the file. */
  private static RunningIngest start(Path dir, Path kafkaProperties) {
    return RunningIngest.start(
        dir.resolve("data"),
        Map.of(
            "bootstrap.servers", broker.bootstrapServers(),
            "kafka.properties", kafkaProperties.toString(),
            "startup.timeout", "30s"));
  }

  /** The file an operator would write: standard Kafka client properties, nothing spineflow's. */
  private static Path kafkaProperties(Path dir, String user, String password) throws Exception {
    return Files.writeString(
        dir.resolve("kafka.properties"),
        String.join(
            "\n",
            "security.protocol=SASL_PLAINTEXT",
            "sasl.mechanism=SCRAM-SHA-256",
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\""
                + user
                + "\" password=\""
                + password
                + "\";",
            ""));
  }

  /** A SCRAM client of the test's own, not the service's, as a PACS or a downstream would be. */
  private static Map<String, Object> testerClient() {
    Map<String, Object> props =
        new HashMap<>(EmbeddedKafkaBroker.scramClientProperties(TESTER, TESTER_PASSWORD));
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return props;
  }

  private static Map<String, Object> pacsClient() {
    Map<String, Object> props = testerClient();
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
    return props;
  }

  /** The study UIDs on {@code studies}, read_committed, once there are at least {@code count}. */
  private static List<String> committedStudyUids(Topic<String, Study> topic, int count) {
    try (TopicReader<String, Study> reader =
        new TopicReader<>(
            broker.bootstrapServers(),
            topic,
            EmbeddedKafkaBroker.scramClientProperties(TESTER, TESTER_PASSWORD))) {
      return reader.awaitAtLeast(count, WAIT).stream().map(r -> r.value().getStudyUid()).toList();
    }
  }

  private static void assertNoPasswordLogged() {
    List<String> lines = capturedLogs();
    assertThat(lines).as("log events captured").isNotEmpty();
    Set<String> leaked = new HashSet<>();
    for (String password :
        List.of(SERVICE_PASSWORD, TESTER_PASSWORD, BROKER_PASSWORD, WRONG_PASSWORD)) {
      if (lines.stream().anyMatch(line -> line.contains(password))) {
        leaked.add(password);
      }
    }
    assertThat(leaked).as("passwords found in the logs").isEmpty();
  }

  /** Every event so far: its message and, if any, its stack trace. */
  private static List<String> capturedLogs() {
    List<ILoggingEvent> events;
    synchronized (logs) { // the appender adds under this lock, from Kafka's threads
      events = new ArrayList<>(logs.list);
    }
    return events.stream()
        .map(
            e ->
                e.getThrowableProxy() == null
                    ? e.getFormattedMessage()
                    : e.getFormattedMessage()
                        + "\n"
                        + ThrowableProxyUtil.asString(e.getThrowableProxy()))
        .toList();
  }

  private static Logger root() {
    return logger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static Logger logger(String name) {
    return (Logger) LoggerFactory.getLogger(name);
  }
}
