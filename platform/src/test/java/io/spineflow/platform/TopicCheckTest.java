package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.spineflow.platform.TopicCheck.Mismatch;
import io.spineflow.platform.TopicCheck.Observed;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicCheckTest {
  private static final Topics TOPICS = new Topics("", 3);

  /** Every topic of the registry exactly as declared, replicated {@code replicas} times. */
  private static Map<String, Observed> asDeclared(int replicas) {
    Map<String, Observed> observed = new HashMap<>();
    for (Topic<String, ?> t : TOPICS.all()) {
      observed.put(
          t.name(),
          new Observed(
              t.name(),
              t.settings().partitions(),
              t.settings().kafkaConfigs().get("cleanup.policy"),
              replicas));
    }
    return observed;
  }

  private static Observed with(Map<String, Observed> observed, String name, int partitions) {
    Observed o = observed.get(name);
    return observed.put(
        name, new Observed(name, partitions, o.cleanupPolicy(), o.replicationFactor()));
  }

  private static List<String> lines(List<Mismatch> mismatches) {
    return mismatches.stream().map(m -> (m.fatal() ? "ERROR " : "WARN ") + m.line()).toList();
  }

  @Test
  void topicsAsDeclaredHaveNoMismatch() {
    assertThat(TopicCheck.compare(TOPICS.all(), asDeclared(1), (short) -1)).isEmpty();
    assertThat(TopicCheck.compare(TOPICS.all(), asDeclared(3), (short) 3)).isEmpty();
  }

  @Test
  void aCleanupPolicyOtherThanDeclaredIsFatal() {
    Map<String, Observed> observed = asDeclared(1);
    observed.put("audit", new Observed("audit", 1, "compact", 1));
    observed.put("models", new Observed("models", 1, "delete", 1));
    // The same policy written otherwise is no mismatch.
    observed.put("slices", new Observed("slices", 3, " delete", 1));

    assertThat(lines(TopicCheck.compare(TOPICS.all(), observed, (short) -1)))
        .containsExactly(
            "ERROR topic models: cleanup.policy is delete, expected compact (without compaction"
                + " the latest record of each key ages out)",
            "ERROR topic audit: cleanup.policy is compact, expected delete (compaction keeps only"
                + " the latest record of each key, this topic needs every one)");
  }

  @Test
  void coPartitionedTopicsThatDisagreeAreFatalEvenWhenTheServiceDoesNotDeclareThem() {
    Map<String, Observed> observed = asDeclared(1);
    with(observed, "slices", 12);

    // Inference declares masks and quality only: slices is the odd one out all the same.
    List<Topic<String, ?>> inference = List.of(TOPICS.masks(), TOPICS.quality());
    assertThat(lines(TopicCheck.compare(inference, observed, (short) -1)))
        .containsExactly(
            "ERROR topic slices: partitions is 12, expected 3 (co-partitioned with masks 3,"
                + " quality 3: a key's records must land on the same partition of each)");
  }

  @Test
  void coPartitionedTopicsThatAgreeOnAnotherCountOnlyWarn() {
    Map<String, Observed> observed = asDeclared(1);
    with(observed, "slices", 12);
    with(observed, "masks", 12);
    with(observed, "quality", 12);

    assertThat(lines(TopicCheck.compare(List.of(TOPICS.masks()), observed, (short) -1)))
        .containsExactly(
            "WARN topic masks: partitions is 12, expected 3 (co-partitioned with slices 12,"
                + " quality 12, which agree: only how many instances share them differs)");
  }

  @Test
  void fewerCoPartitionedPartitionsThanDeclaredIsFatalWhenAMemberWasCreatedAsDeclared() {
    // The operator made slices and masks with 1 partition; quality was just created with 3.
    Map<String, Observed> observed = asDeclared(1);
    with(observed, "slices", 1);
    with(observed, "masks", 1);

    assertThat(TopicCheck.compare(List.of(TOPICS.quality()), observed, (short) -1))
        .extracting(Mismatch::topic, Mismatch::found, Mismatch::fatal)
        .containsExactly(tuple("slices", "1", true), tuple("masks", "1", true));
  }

  @Test
  void aOnePartitionTopicWithMoreIsFatalAFreeOneWithMoreOrFewerWarns() {
    Map<String, Observed> observed = asDeclared(1);
    with(observed, "training", 2);
    with(observed, "deadletter", 6);
    with(observed, "studies", 1);

    assertThat(lines(TopicCheck.compare(TOPICS.all(), observed, (short) -1)))
        .containsExactly(
            "WARN topic studies: partitions is 1, expected 3 (nothing is co-partitioned with it:"
                + " only how many instances share it differs)",
            "ERROR topic training: partitions is 2, expected 1 (its order and the tasks reading it"
                + " rely on exactly this count)",
            "WARN topic deadletter: partitions is 6, expected 3 (nothing is co-partitioned with"
                + " it: only how many instances share it differs)");
  }

  @Test
  void replicationIsCheckedOnlyWhenConfiguredAndOnlyWarns() {
    Map<String, Observed> observed = asDeclared(3);
    observed.put("studies", new Observed("studies", 3, "delete", 1));

    assertThat(TopicCheck.compare(TOPICS.all(), observed, (short) -1)).isEmpty();
    assertThat(lines(TopicCheck.compare(TOPICS.all(), observed, (short) 3)))
        .containsExactly(
            "WARN topic studies: replication factor is 1, expected 3 (topic.replication.factor;"
                + " only durability differs, kafka-reassign-partitions changes it)");
  }

  @Test
  void anUnreadableCleanupPolicyOrAnAbsentTopicIsNotChecked() {
    Map<String, Observed> observed = asDeclared(1);
    observed.put("models", new Observed("models", 1, null, 1));
    observed.remove("masks");

    assertThat(TopicCheck.compare(TOPICS.all(), observed, (short) -1)).isEmpty();
  }
}
