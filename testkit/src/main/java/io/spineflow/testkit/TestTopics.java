package io.spineflow.testkit;

import io.spineflow.platform.TopicProvisioner;
import io.spineflow.schemas.Topics;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** A fresh, provisioned set of spineflow topics under a unique prefix, for one test. */
public final class TestTopics {
  private TestTopics() {}

  /** Creates every topic of the registry under a new prefix and returns the registry. */
  public static Topics create(String bootstrapServers, int partitions) {
    Topics topics =
        new Topics("t" + UUID.randomUUID().toString().substring(0, 8) + ".", partitions);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      new TopicProvisioner(admin, (short) 1).ensure(topics.all());
    }
    return topics;
  }
}
