package io.spineflow.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker with a SASL/SCRAM-SHA-256 client listener: only clients that log in with a
 * known user and the right password get in.
 */
class EmbeddedKafkaScramIT {
  private static final String ALICE = "alice";
  private static final String ALICE_PASSWORD = "alice-" + UUID.randomUUID();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker =
        EmbeddedKafkaBroker.startWithScram(
            Files.createTempDirectory("scram-it-"),
            0,
            Map.of(
                EmbeddedKafkaBroker.BROKER_USER,
                "broker-" + UUID.randomUUID(),
                ALICE,
                ALICE_PASSWORD));
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  /**
   * The right credentials produce and consume. The write is transactional and read back
   * read_committed, so it also proves the broker logs in to its own SASL listener: partition leader
   * and transaction coordinator talk over it (with a wrong broker password the send fails with
   * SaslAuthenticationException).
   */
  @Test
  void theRightPasswordProducesAndConsumesTransactionally() throws Exception {
    Map<String, Object> alice = client(broker.bootstrapServers(), ALICE, ALICE_PASSWORD);
    String topic = "scram-" + UUID.randomUUID();
    try (Admin admin = Admin.create(alice)) {
      admin
          .createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
          .all()
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    Map<String, Object> producerProps = new HashMap<>(alice);
    producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "scram-it-" + UUID.randomUUID());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "hello over scram"));
      producer.commitTransaction();
    }

    Map<String, Object> consumerProps = new HashMap<>(alice);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "scram-it-" + UUID.randomUUID());
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(WAIT)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return !values.isEmpty();
              });
    }
    assertThat(values).containsExactly("hello over scram");
  }

  /** A wrong password, or an unknown user, is refused with the broker's authentication error. */
  @Test
  void aWrongPasswordOrUnknownUserIsRefused() {
    for (Map<String, Object> props :
        List.of(
            client(broker.bootstrapServers(), ALICE, ALICE_PASSWORD + "-not"),
            client(broker.bootstrapServers(), "mallory", ALICE_PASSWORD))) {
      try (Admin admin = Admin.create(props)) {
        assertThatThrownBy(
                () -> admin.describeCluster().clusterId().get(WAIT.toSeconds(), TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(SaslAuthenticationException.class)
            .hasMessageContaining("invalid credentials");
      }
    }
  }

  /** A client that does not speak SASL never gets past the handshake: it sees no metadata. */
  @Test
  void aPlaintextClientGetsNoMetadata() {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      assertThatThrownBy(
              () ->
                  admin
                      .listTopics(new ListTopicsOptions().timeoutMs(3_000))
                      .names()
                      .get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TimeoutException.class);
    }
  }

  /**
   * The credentials live in the metadata log: after a restart on the same directory the same users
   * still log in.
   */
  @Test
  void theUsersSurviveARestart() throws Exception {
    EmbeddedKafkaBroker own =
        EmbeddedKafkaBroker.startWithScram(
            Files.createTempDirectory("scram-restart-it-"),
            0,
            Map.of(EmbeddedKafkaBroker.BROKER_USER, "b-" + UUID.randomUUID(), ALICE, "a-secret"));
    try {
      own = own.restart();
      try (Admin admin = Admin.create(client(own.bootstrapServers(), ALICE, "a-secret"))) {
        assertThat(admin.describeCluster().clusterId().get(WAIT.toSeconds(), TimeUnit.SECONDS))
            .isNotBlank();
      }
    } finally {
      own.close();
    }
  }

  /** The broker's own login is required, because without it transactions fail. */
  @Test
  void aScramBrokerNeedsItsOwnUser() {
    assertThatThrownBy(
            () ->
                EmbeddedKafkaBroker.startWithScram(
                    Path.of("unused"), 0, Map.of(ALICE, ALICE_PASSWORD)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(EmbeddedKafkaBroker.BROKER_USER);
  }

  private static Map<String, Object> client(String bootstrap, String user, String password) {
    Map<String, Object> props =
        new HashMap<>(EmbeddedKafkaBroker.scramClientProperties(user, password));
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return props;
  }
}
