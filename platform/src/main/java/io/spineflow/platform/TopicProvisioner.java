package io.spineflow.platform;

import io.spineflow.schemas.Topic;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics from the registry, idempotently: an existing topic is left as it is (its
 * partitions and configs are the cluster operator's from then on).
 */
public final class TopicProvisioner {
  private final Admin admin;
  private final short replicationFactor;

  public TopicProvisioner(Admin admin, short replicationFactor) {
    this.admin = admin;
    this.replicationFactor = replicationFactor;
  }

  /** Creates whichever of {@code topics} do not exist yet and waits for the result. */
  public void ensure(Collection<? extends Topic<?, ?>> topics) {
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
                future.get(30, TimeUnit.SECONDS);
              } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                  throw new IllegalStateException(
                      "cannot create topic " + name + ": " + e.getCause().getMessage(), e);
                }
              } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + name + " timed out", e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
              }
            });
  }
}
