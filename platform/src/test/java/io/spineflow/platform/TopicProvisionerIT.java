package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.broker.EmbeddedKafkaBroker;
import io.spineflow.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Topic verification at start on a real broker: topics an operator created otherwise than the
 * registry declares, then a service's start-up provisioning ({@link ServiceLauncher#prepareKafka},
 * what every service's launch runs) stops on the wrong ones with one line, warns on the harmless.
 */
class TopicProvisionerIT {
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafkaBroker.startTemporary();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  private static String prefix() {
    return "v" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }

  private static ServiceContext context(String prefix) {
    return ServiceContext.from(
        "verify-it",
        Settings.of(
            Map.of(
                CommonSettings.BOOTSTRAP_SERVERS.name(),
                broker.bootstrapServers(),
                CommonSettings.TOPIC_PREFIX.name(),
                prefix,
                CommonSettings.TOPIC_PARTITIONS.name(),
                "3")));
  }

  private static void createFirst(NewTopic... topics) throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(topics)).all().get();
    }
  }

  @Test
  void aCompactedAuditTrailStopsTheServiceWithOneLine() throws Exception {
    String prefix = prefix();
    createFirst(
        new NewTopic(prefix + "audit", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
    ServiceContext context = context(prefix);

    assertThatThrownBy(() -> ServiceLauncher.prepareKafka(context, context.topics().all()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "topic "
                + prefix
                + "audit: cleanup.policy is compact, expected delete (compaction keeps only the"
                + " latest record of each key, this topic needs every one)");
  }

  @Test
  void masksWithOtherPartitionsThanSlicesStopInferenceWithOneLine() throws Exception {
    String prefix = prefix();
    // The operator made slices bigger by hand; inference then creates masks and quality as
    // declared, with 3: the dashboard's gallery would never meet a slice with its mask.
    createFirst(new NewTopic(prefix + "slices", 6, (short) 1));
    ServiceContext context = context(prefix);
    Topics topics = context.topics();

    assertThatThrownBy(
            () -> ServiceLauncher.prepareKafka(context, List.of(topics.masks(), topics.quality())))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "topic "
                + prefix
                + "slices: partitions is 6, expected 3 (co-partitioned with "
                + prefix
                + "masks 3, "
                + prefix
                + "quality 3: a key's records must land on the same partition of each)");
  }

  @Test
  void morePartitionsWhereNothingIsCoPartitionedIsAWarningAndTheServiceStarts() throws Exception {
    String prefix = prefix();
    createFirst(new NewTopic(prefix + "deadletter", 5, (short) 1));
    Topics topics = context(prefix).topics();

    try (Admin admin = admin()) {
      List<TopicCheck.Mismatch> warnings =
          new TopicProvisioner(admin, (short) 1).ensure(topics.all());

      assertThat(warnings)
          .extracting(TopicCheck.Mismatch::line)
          .containsExactly(
              "topic "
                  + prefix
                  + "deadletter: partitions is 5, expected 3 (nothing is co-partitioned with it:"
                  + " only how many instances share it differs)");
      // Left as the operator made it, and a second start says the same.
      assertThat(
              admin
                  .describeTopics(List.of(prefix + "deadletter"))
                  .allTopicNames()
                  .get()
                  .get(prefix + "deadletter")
                  .partitions())
          .hasSize(5);
      assertThat(new TopicProvisioner(admin, (short) 1).ensure(topics.all())).hasSize(1);
    }
  }

  @Test
  void topicsAsDeclaredPassAndTheirReplicationIsChecked() {
    Topics topics = context(prefix()).topics();
    try (Admin admin = admin()) {
      assertThat(new TopicProvisioner(admin, (short) 1).ensure(topics.all())).isEmpty();
      // One broker: every topic has 1 replica, so expecting 2 warns for each, and still starts.
      assertThat(new TopicProvisioner(admin, (short) 2).verify(topics.all()))
          .hasSize(topics.all().size())
          .allSatisfy(
              m -> {
                assertThat(m.fatal()).isFalse();
                assertThat(m.problem()).startsWith("replication factor is 1, expected 2");
              });
    }
  }
}
