package io.spineflow.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerIT {

  @Test
  void restartOnTheSameDirectoryKeepsTopicsAndTheClientPort() throws Exception {
    Path dir = Files.createTempDirectory("broker-it-");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, Map.of());
    try {
      createTopic(broker.bootstrapServers(), "kept");
      broker = broker.restart();
      assertThat(topics(broker.bootstrapServers())).contains("kept");
      assertThat(broker.logDir()).isEqualTo(dir);
    } finally {
      broker.close();
    }
  }

  private static void createTopic(String bootstrap, String name) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(name, Optional.of(1), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static Set<String> topics(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
  }
}
