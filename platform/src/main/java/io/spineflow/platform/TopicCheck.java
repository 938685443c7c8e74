package io.spineflow.platform;

import io.spineflow.schemas.Topic;
import io.spineflow.schemas.TopicSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares topics as they are on the cluster with their declaration in the registry (pure: the
 * {@link TopicProvisioner} describes the cluster). A mismatch that breaks correctness is fatal (the
 * service must not start on it); one that only changes parallelism or durability is a warning.
 *
 * <ul>
 *   <li>{@code cleanup.policy}: fatal. Compacting a topic that must keep every record (the audit
 *       trail, slices) loses records; not compacting {@code models} ages the live model out.
 *   <li>partitions of a topic whose count is part of its contract ({@link
 *       TopicSettings#exactPartitions()}): fatal.
 *   <li>partitions of co-partitioned topics ({@link TopicSettings#coPartitionedWith()}): fatal when
 *       the group's counts differ (a key's records would land in different tasks); when the whole
 *       group agrees on another count than declared, a warning: keys still meet, only how many
 *       instances share the work differs.
 *   <li>partitions of any other topic: a warning, more or fewer only change parallelism.
 *   <li>replication factor, when one is configured ({@code topic.replication.factor} ≥ 1): a
 *       warning, the data is read and written correctly either way.
 * </ul>
 */
public final class TopicCheck {
  private TopicCheck() {}

  /**
   * A topic as the cluster has it.
   *
   * @param cleanupPolicy null when it could not be read (then not checked)
   * @param replicationFactor the fewest replicas of any of its partitions
   */
  public record Observed(
      String name, int partitions, String cleanupPolicy, int replicationFactor) {}

  /** One setting of one topic that differs from its declaration. */
  public record Mismatch(
      String topic, String setting, String found, String expected, boolean fatal, String why) {

    /** The one line the operator reads, e.g. {@code topic masks: partitions is 3, expected 12}. */
    public String line() {
      return "topic " + topic + ": " + problem();
    }

    /** The line without the topic: {@code partitions is 3, expected 12 (why)}. */
    public String problem() {
      return setting
          + " is "
          + found
          + ", expected "
          + expected
          + (why.isEmpty() ? "" : " (" + why + ")");
    }
  }

  /**
   * The mismatches of {@code declared} against {@code observed} (topics absent from it are not
   * checked), in declaration order, each topic and setting once.
   *
   * @param replicationFactor the configured replication factor, &lt; 0 for the broker's default
   *     (then not checked)
   */
  public static List<Mismatch> compare(
      Collection<? extends Topic<?, ?>> declared,
      Map<String, Observed> observed,
      short replicationFactor) {
    Map<String, Mismatch> found = new LinkedHashMap<>();
    for (Topic<?, ?> topic : declared) {
      Observed actual = observed.get(topic.name());
      if (actual == null) {
        continue;
      }
      cleanupPolicy(topic, actual).ifPresent(m -> found.putIfAbsent(key(m), m));
      partitions(topic, observed).forEach(m -> found.putIfAbsent(key(m), m));
      if (replicationFactor > 0 && actual.replicationFactor() != replicationFactor) {
        Mismatch m =
            new Mismatch(
                topic.name(),
                "replication factor",
                Integer.toString(actual.replicationFactor()),
                Integer.toString(replicationFactor),
                false,
                CommonSettings.TOPIC_REPLICATION.name()
                    + "; only durability differs, kafka-reassign-partitions changes it");
        found.putIfAbsent(key(m), m);
      }
    }
    return List.copyOf(found.values());
  }

  private static String key(Mismatch m) {
    return m.topic() + "\u0000" + m.setting();
  }

  private static Optional<Mismatch> cleanupPolicy(Topic<?, ?> topic, Observed actual) {
    String expected = topic.settings().kafkaConfigs().get("cleanup.policy");
    if (actual.cleanupPolicy() == null
        || policies(actual.cleanupPolicy()).equals(policies(expected))) {
      return Optional.empty();
    }
    String why =
        topic.settings().compacted()
            ? "without compaction the latest record of each key ages out"
            : "compaction keeps only the latest record of each key, this topic needs every one";
    return Optional.of(
        new Mismatch(topic.name(), "cleanup.policy", actual.cleanupPolicy(), expected, true, why));
  }

  /** "compact,delete" and "delete, compact" are the same policy. */
  private static TreeSet<String> policies(String policy) {
    return Arrays.stream(policy.split(","))
        .map(String::trim)
        .filter(p -> !p.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<Mismatch> partitions(Topic<?, ?> topic, Map<String, Observed> observed) {
    TopicSettings settings = topic.settings();
    if (!settings.coPartitionedWith().isEmpty()) {
      return coPartitioned(topic, observed);
    }
    Observed actual = observed.get(topic.name());
    if (actual.partitions() == settings.partitions()) {
      return List.of();
    }
    return List.of(
        settings.exactPartitions()
            ? partitionMismatch(
                actual,
                settings.partitions(),
                true,
                "its order and the tasks reading it rely on exactly this count")
            : partitionMismatch(
                actual,
                settings.partitions(),
                false,
                "nothing is co-partitioned with it: only how many instances share it differs"));
  }

  /**
   * The group (this topic and those it is co-partitioned with, as far as they exist) must agree.
   * When it does not, every member without the declared count is fatal, whether or not this service
   * reads it: its own owner may not start again to notice. When it agrees on another count than
   * declared, keys still meet: a warning for this topic.
   */
  private static List<Mismatch> coPartitioned(Topic<?, ?> topic, Map<String, Observed> observed) {
    int expected = topic.settings().partitions();
    List<Observed> group = new ArrayList<>();
    group.add(observed.get(topic.name()));
    topic.settings().coPartitionedWith().stream()
        .map(observed::get)
        .filter(Objects::nonNull)
        .forEach(group::add);
    if (group.stream().mapToInt(Observed::partitions).distinct().count() == 1) {
      Observed self = group.get(0);
      return self.partitions() == expected
          ? List.of()
          : List.of(
              partitionMismatch(
                  self,
                  expected,
                  false,
                  othersOf(self, group)
                      + ", which agree: only how many"
                      + " instances share them differs"));
    }
    return group.stream()
        .filter(member -> member.partitions() != expected)
        .map(
            member ->
                partitionMismatch(
                    member,
                    expected,
                    true,
                    othersOf(member, group)
                        + ": a key's records must land on the same partition of each"))
        .toList();
  }

  private static String othersOf(Observed member, List<Observed> group) {
    return "co-partitioned with "
        + group.stream()
            .filter(o -> o != member)
            .map(o -> o.name() + " " + o.partitions())
            .collect(Collectors.joining(", "));
  }

  private static Mismatch partitionMismatch(
      Observed member, int expected, boolean fatal, String why) {
    return new Mismatch(
        member.name(),
        "partitions",
        Integer.toString(member.partitions()),
        Integer.toString(expected),
        fatal,
        why);
  }
}
