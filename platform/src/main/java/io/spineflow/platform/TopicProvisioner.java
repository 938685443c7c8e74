package io.spineflow.platform;

import io.spineflow.schemas.Topic;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics from the registry, idempotently, then checks every one against its declaration
 * ({@link TopicCheck}): an existing topic is never changed (its partitions and configs are the
 * cluster operator's), but one that would make the service wrong stops it at start with one line,
 * and one that only changes parallelism or durability is a warning line.
 */
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
  private static final long TIMEOUT_SECONDS = 30;

  private final Admin admin;
  private final short replicationFactor;

  public TopicProvisioner(Admin admin, short replicationFactor) {
    this.admin = admin;
    this.replicationFactor = replicationFactor;
  }

  /**
   * Creates whichever of {@code topics} do not exist yet, waits for the result, then {@link #verify
   * verifies} them all.
   *
   * @return the harmless mismatches, each logged as a warning
   * @throws ConfigException naming the topic and the setting when one is wrong for correctness
   */
  public List<TopicCheck.Mismatch> ensure(Collection<? extends Topic<?, ?>> topics) {
    create(topics);
    return verify(topics);
  }

  private void create(Collection<? extends Topic<?, ?>> topics) {
    List<NewTopic> requests =
        topics.stream()
            .map(
                t ->
                    new NewTopic(
                            t.name(),
                            Optional.of(t.settings().partitions()),
                            // -1: the broker's default.replication.factor
                            replicationFactor < 0
                                ? Optional.<Short>empty()
                                : Optional.of(replicationFactor))
                        .configs(t.settings().kafkaConfigs()))
            .toList();
    admin
        .createTopics(requests)
        .values()
        .forEach(
            (name, future) -> {
              try {
                await(future, "creating topic " + name);
              } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                  throw new IllegalStateException(
                      "cannot create topic " + name + ": " + e.getCause().getMessage(), e);
                }
              }
            });
  }

  /**
   * Compares {@code topics} (which must exist: {@link #ensure} made them; and the topics they are
   * co-partitioned with, where they exist) as the cluster has them with their declaration: logs
   * each harmless mismatch as one WARN line, each fatal one as one ERROR line, and throws on the
   * first fatal one. A topic the service may not describe (ACLs) is not checked, with a warning.
   *
   * @return the mismatches found (warnings only, when it returns)
   * @throws ConfigException whose message is the first fatal mismatch's line
   */
  public List<TopicCheck.Mismatch> verify(Collection<? extends Topic<?, ?>> topics) {
    Set<String> declared = new LinkedHashSet<>();
    topics.forEach(t -> declared.add(t.name()));
    return verify(topics, declared);
  }

  /**
   * The same for topics a service reads but does not create (the dashboard's sources): those that
   * do not exist yet are not checked.
   */
  public List<TopicCheck.Mismatch> verifyExisting(Collection<? extends Topic<?, ?>> topics) {
    return verify(topics, Set.of());
  }

  private List<TopicCheck.Mismatch> verify(
      Collection<? extends Topic<?, ?>> topics, Set<String> mustExist) {
    Set<String> names = new LinkedHashSet<>();
    for (Topic<?, ?> t : topics) {
      names.add(t.name());
      names.addAll(t.settings().coPartitionedWith());
    }
    List<TopicCheck.Mismatch> mismatches =
        TopicCheck.compare(topics, describe(names, mustExist), replicationFactor);
    mismatches.stream().filter(m -> !m.fatal()).forEach(m -> LOG.warn("{}", m.line()));
    List<TopicCheck.Mismatch> fatal =
        mismatches.stream().filter(TopicCheck.Mismatch::fatal).toList();
    fatal.forEach(m -> LOG.error("{}", m.line()));
    if (!fatal.isEmpty()) {
      // The message is the mismatch's line: "topic masks: partitions is 3, expected 12 (...)".
      TopicCheck.Mismatch first = fatal.get(0);
      throw new ConfigException("topic " + first.topic(), first.problem());
    }
    return mismatches;
  }

  /**
   * The topics of {@code names} that exist, as the cluster has them. A topic created a moment ago
   * may not have reached the broker that answers yet: the {@code declared} ones exist ({@link
   * #ensure} made them), so all are asked for again until one answer sees every declared topic (for
   * up to 30 s). That answer comes from one broker's metadata, applied in order, so it also sees a
   * co-partitioned topic created before them; one it does not know does not exist.
   */
  private Map<String, TopicCheck.Observed> describe(Set<String> names, Set<String> declared) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    Map<String, TopicDescription> descriptions = new HashMap<>();
    while (true) {
      descriptions.clear();
      Set<String> pending = describeInto(names, descriptions);
      pending.retainAll(declared);
      if (pending.isEmpty()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "topics " + pending + " exist but were not described within " + TIMEOUT_SECONDS + " s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while describing topics " + pending, e);
      }
    }
    Map<String, String> policies = cleanupPolicies(descriptions.keySet());
    Map<String, TopicCheck.Observed> observed = new HashMap<>();
    descriptions.forEach(
        (name, d) ->
            observed.put(
                name,
                new TopicCheck.Observed(
                    name,
                    d.partitions().size(),
                    policies.get(name),
                    d.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0))));
    return observed;
  }

  /**
   * Describes {@code names} into {@code descriptions}.
   *
   * @return the names the cluster does not know (yet)
   */
  private Set<String> describeInto(Set<String> names, Map<String, TopicDescription> descriptions) {
    Set<String> unknown = new LinkedHashSet<>();
    admin
        .describeTopics(names)
        .topicNameValues()
        .forEach(
            (name, future) -> {
              try {
                descriptions.put(name, await(future, "describing topic " + name));
              } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                  unknown.add(name);
                } else if (e.getCause() instanceof AuthorizationException) {
                  LOG.warn("topic {}: not checked, this service may not describe it", name);
                } else {
                  throw new IllegalStateException(
                      "cannot describe topic " + name + ": " + e.getCause().getMessage(), e);
                }
              }
            });
    return unknown;
  }

  /** Each topic's {@code cleanup.policy}; a topic whose configs may not be read is left out. */
  private Map<String, String> cleanupPolicies(Set<String> names) {
    Map<String, String> policies = new HashMap<>();
    admin
        .describeConfigs(
            names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList())
        .values()
        .forEach(
            (resource, future) -> {
              try {
                Config config = await(future, "describing the configs of topic " + resource.name());
                ConfigEntry policy = config.get("cleanup.policy");
                if (policy != null) {
                  policies.put(resource.name(), policy.value());
                }
              } catch (ExecutionException e) {
                if (!(e.getCause() instanceof AuthorizationException
                    || e.getCause() instanceof UnknownTopicOrPartitionException)) {
                  throw new IllegalStateException(
                      "cannot describe the configs of topic "
                          + resource.name()
                          + ": "
                          + e.getCause().getMessage(),
                      e);
                }
                LOG.warn(
                    "topic {}: cleanup.policy not checked ({})",
                    resource.name(),
                    e.getCause().getMessage());
              }
            });
    return policies;
  }

  private static <T> T await(KafkaFuture<T> future, String what) throws ExecutionException {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what, e);
    }
  }
}
