package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static final Setting PORT = new Setting("http.port", "SPINEFLOW_HTTP_PORT", "8081", "p");
  private static final Setting WAIT = new Setting("max.wait", "SPINEFLOW_MAX_WAIT", "250ms", "w");

  @Test
  void commandLineBeatsEnvironmentBeatsDefault() {
    Map<String, String> env = Map.of("SPINEFLOW_HTTP_PORT", "9000");
    assertThat(new Settings(Map.of(), Map.of()).integer(PORT, 0, 65535)).isEqualTo(8081);
    assertThat(new Settings(Map.of(), env).integer(PORT, 0, 65535)).isEqualTo(9000);
    assertThat(new Settings(Map.of("http.port", "9100"), env).integer(PORT, 0, 65535))
        .isEqualTo(9100);
  }

  @Test
  void badValuesNameTheSettingAndTheLimit() {
    assertThatThrownBy(() -> Settings.of(Map.of("http.port", "eighty")).integer(PORT, 0, 65535))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.port: must be an integer, got 'eighty'");
    assertThatThrownBy(() -> Settings.of(Map.of("http.port", "70000")).integer(PORT, 0, 65535))
        .hasMessage("http.port: must be between 0 and 65535, got 70000");
    assertThatThrownBy(() -> Settings.of(Map.of("max.wait", "soon")).duration(WAIT))
        .hasMessageStartingWith("max.wait: must be a duration");
  }

  @Test
  void durationsReadLikeAPersonWritesThem() {
    assertThat(Settings.of(Map.of()).duration(WAIT)).isEqualTo(Duration.ofMillis(250));
    assertThat(Settings.parseDuration("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Settings.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Settings.parseDuration("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThat(Settings.parseDuration("30d")).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void theDefaultsLeaveReplicationToTheBrokerAndGiveStreamsTransactionsAMinute() {
    Settings defaults = Settings.of(Map.of());
    assertThat(ServiceContext.replicationFactor(defaults)).isEqualTo((short) -1);
    assertThat(
            ServiceContext.replicationFactor(Settings.of(Map.of("topic.replication.factor", "3"))))
        .isEqualTo((short) 3);
    assertThatThrownBy(
            () ->
                ServiceContext.replicationFactor(
                    Settings.of(Map.of("topic.replication.factor", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("-1 for the broker's default");
    assertThat(defaults.duration(CommonSettings.STREAMS_TRANSACTION_TIMEOUT))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.duration(CommonSettings.DEDUP_RETENTION)).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void optionNamesFollowSettingNames() {
    assertThat(CommonSettings.BOOTSTRAP_SERVERS.option()).isEqualTo("--bootstrap-servers");
    assertThat(CommonSettings.all())
        .extracting(Setting::envVar)
        .allMatch(e -> e.startsWith("SPINEFLOW_"));
  }
}
