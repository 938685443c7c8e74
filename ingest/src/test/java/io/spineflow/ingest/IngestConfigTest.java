package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import io.spineflow.platform.http.BearerToken;
import io.spineflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {
  private static final Path DATA = Path.of("/var/lib/spineflow");
  private static final String TOKEN = "s3cret-token-abcdefgh";

  @Test
  void defaultsLiveUnderTheDataDirectory() {
    IngestConfig config = IngestConfig.from(Settings.of(Map.of("ingest.token", TOKEN)), DATA);

    assertThat(config.watchDir()).isEqualTo(DATA.resolve("inbox"));
    assertThat(config.claimsDir()).isEqualTo(DATA.resolve("claims"));
    assertThat(config.httpMaxRequestBytes()).isEqualTo(64L << 20);
    assertThat(config.pairingTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.pairingCheckInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.studyInlineMaxBytes()).isEqualTo(Topics.STUDY_INLINE_MAX_BYTES);
    assertThat(config.uploadInlineMaxBytes()).isEqualTo(IngestConfig.UPLOAD_INLINE_LIMIT);
  }

  @Test
  void anEmptyWatchDirDisablesTheFolderDoor() {
    IngestConfig config =
        IngestConfig.from(Settings.of(Map.of("ingest.token", TOKEN, "ingest.watch.dir", "")), DATA);
    assertThat(config.watchDir()).isNull();
  }

  @Test
  void theEnvironmentIsReadThroughTheEnvVarNames() {
    Settings settings =
        new Settings(
            Map.of(),
            Map.of(
                "SPINEFLOW_INGEST_TOKEN", TOKEN,
                "SPINEFLOW_INGEST_WATCH_DIR", "/srv/inbox",
                "SPINEFLOW_INGEST_PAIRING_TIMEOUT", "90s"));
    IngestConfig config = IngestConfig.from(settings, DATA);
    assertThat(config.token()).isEqualTo(TOKEN);
    assertThat(config.watchDir()).isEqualTo(Path.of("/srv/inbox"));
    assertThat(config.pairingTimeout()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void withoutATokenTheServiceRefusesToStartWithOneLine() {
    assertThatThrownBy(() -> IngestConfig.from(Settings.of(Map.of()), DATA))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.setting()).isEqualTo("ingest.token");
              assertThat(e.getMessage()).contains("SPINEFLOW_INGEST_TOKEN").doesNotContain("\n");
            });
    assertThatThrownBy(() -> IngestConfig.from(Settings.of(Map.of("ingest.token", "short")), DATA))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("16 characters")
        .hasMessageNotContaining("short");
  }

  @Test
  void outOfRangeValuesNameTheSetting() {
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    Settings.of(
                        Map.of(
                            "ingest.token",
                            TOKEN,
                            "ingest.study.inline.max.bytes",
                            Integer.toString(Topics.STUDY_INLINE_MAX_BYTES + 1))),
                    DATA))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("ingest.study.inline.max.bytes: ");
    assertThatThrownBy(
            () ->
                IngestConfig.from(
                    Settings.of(Map.of("ingest.token", TOKEN, "ingest.watch.interval", "0s")),
                    DATA))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("ingest.watch.interval: ");
  }

  @Test
  void theTokenNeverShowsInToString() {
    IngestConfig config = IngestConfig.from(Settings.of(Map.of("ingest.token", TOKEN)), DATA);
    assertThat(config.toString()).doesNotContain(TOKEN).contains("hidden");
    assertThat(new BearerToken(TOKEN).toString()).doesNotContain(TOKEN);
  }

  @Test
  void everySettingHasAnIngestNameAndEnvVar() {
    assertThat(IngestConfig.all()).isNotEmpty().allSatisfy(IngestConfigTest::wellFormed);
  }

  @Test
  void theReadmeTableListsEverySettingWithItsDefault() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(Path.of("README.md"));
    for (Setting setting : IngestConfig.all()) {
      String prefix = "| `" + setting.name() + "` | `" + setting.envVar() + "` | ";
      String row =
          readme.lines().filter(line -> line.startsWith(prefix)).findFirst().orElse("(no row)");
      assertThat(row.substring(Math.min(row.length(), prefix.length())).replace("`", ""))
          .as(setting.name())
          .startsWith(setting.defaultValue().isEmpty() ? "(none" : setting.defaultValue());
    }
  }

  private static void wellFormed(Setting setting) {
    assertThat(setting.name()).startsWith("ingest.");
    assertThat(setting.envVar())
        .isEqualTo("SPINEFLOW_" + setting.name().toUpperCase().replace('.', '_'));
    assertThat(setting.description()).isNotBlank();
  }

  @Test
  void bearerTokensMatchOnlyExactly() {
    BearerToken token = new BearerToken(TOKEN);
    assertThat(token.matches("Bearer " + TOKEN)).isTrue();
    assertThat(token.matches("bearer " + TOKEN)).isTrue();
    assertThat(token.matches("Bearer " + TOKEN + "x")).isFalse();
    assertThat(token.matches("Bearer " + TOKEN.substring(1))).isFalse();
    assertThat(token.matches("Basic " + TOKEN)).isFalse();
    assertThat(token.matches(TOKEN)).isFalse();
    assertThat(token.matches("Bearer ")).isFalse();
    assertThat(token.matches(null)).isFalse();
  }
}
