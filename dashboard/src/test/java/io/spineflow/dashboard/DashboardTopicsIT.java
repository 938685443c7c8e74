package io.spineflow.dashboard;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.Settings;
import io.spineflow.testkit.SharedKafka;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard creates none of the topics it reads, yet its gallery needs slices, masks and
 * quality co-partitioned: it checks them at start and refuses, in one line, to run on topics whose
 * counts disagree (a slice and its mask would never meet in one task).
 */
class DashboardTopicsIT {
  @TempDir Path dir;

  @Test
  void masksWithOtherPartitionsThanSlicesStopTheDashboardAtStart() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    String prefix = "d" + UUID.randomUUID().toString().substring(0, 8) + ".";
    ServiceContext context =
        ServiceContext.from(
            DashboardService.NAME,
            Settings.of(
                Map.of(
                    CommonSettings.BOOTSTRAP_SERVERS.name(),
                    bootstrap,
                    CommonSettings.TOPIC_PREFIX.name(),
                    prefix,
                    CommonSettings.TOPIC_PARTITIONS.name(),
                    "2",
                    CommonSettings.DATA_DIR.name(),
                    dir.toString(),
                    DashboardSettings.VIEWER_TOKEN.name(),
                    "viewer-token-0123456789")));
    try (Admin admin = Admin.create(context.kafka().admin())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(prefix + "slices", 2, (short) 1),
                  new NewTopic(prefix + "masks", 4, (short) 1),
                  new NewTopic(prefix + "quality", 2, (short) 1)))
          .all()
          .get();
    }
    DashboardService dashboard = DashboardService.create(context);
    try {
      assertThatThrownBy(dashboard::start)
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "topic "
                  + prefix
                  + "masks: partitions is 4, expected 2 (co-partitioned with "
                  + prefix
                  + "quality 2, "
                  + prefix
                  + "slices 2: a key's records must land on the same partition of each)");
    } finally {
      dashboard.close();
    }
  }
}
