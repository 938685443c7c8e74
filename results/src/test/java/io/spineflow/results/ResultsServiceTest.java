package io.spineflow.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsServiceTest {
  @TempDir Path dir;

  @Test
  void ownsSegmentationsAndDeadletter() {
    Topics topics = new Topics("p.", 3);
    assertThat(ResultsService.ownedTopics(topics))
        .containsExactly(topics.segmentations(), topics.deadletter());
  }

  @Test
  void defaultsShareTheClaimsBlobStoreAndSweepEveryMinute() {
    ResultsConfig config = ResultsConfig.defaults(dir);
    assertThat(config.outputDir()).isEqualTo(dir.resolve("claims").toAbsolutePath());
    assertThat(config.studyRetention()).isEqualTo(Duration.ofHours(24));
    assertThat(config.sweepInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.withStudyRetention(Duration.ofSeconds(20)).sweepInterval())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(ResultsSettings.all()).extracting(Setting::name).doesNotHaveDuplicates();
    assertThat(ResultsSettings.all()).allSatisfy(s -> assertThat(s.name()).startsWith("results."));
  }

  @Test
  void refusesANonPositiveRetention() {
    Settings settings =
        Settings.of(
            Map.of(
                CommonSettings.DATA_DIR.name(),
                dir.toString(),
                ResultsSettings.STUDY_RETENTION.name(),
                "PT0S"));
    assertThatThrownBy(() -> ResultsConfig.from(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ResultsSettings.STUDY_RETENTION.name());
  }
}
