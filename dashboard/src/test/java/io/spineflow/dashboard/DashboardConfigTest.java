package io.spineflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardConfigTest {

  @Test
  void defaultsMatchTheDocumentedRules() {
    DashboardConfig config = DashboardConfig.from(Settings.of(Map.of()));
    assertThat(config.window()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.retention()).isEqualTo(Duration.ofHours(6));
    assertThat(config.drift()).isEqualTo(DriftRules.DEFAULTS);
    assertThat(config.retrainActionEnabled()).isFalse();
    assertThat(config.defaultModelName()).isEqualTo("spine-unet");
  }

  @Test
  void theOperatorTokenComesFromItsEnvironmentVariableAndIsNeverPrinted() {
    Settings settings =
        new Settings(Map.of(), Map.of("SPINEFLOW_OPERATOR_TOKEN", "a-long-operator-token-42"));
    DashboardConfig config = DashboardConfig.from(settings);
    assertThat(config.operatorToken()).isEqualTo("a-long-operator-token-42");
    assertThat(config.retrainActionEnabled()).isTrue();
    assertThat(config.toString()).doesNotContain("a-long-operator-token-42").contains("(hidden)");
  }

  @Test
  void aShortTokenIsRefusedNamingTheSetting() {
    assertThatThrownBy(
            () ->
                DashboardConfig.from(
                    Settings.of(Map.of(DashboardSettings.OPERATOR_TOKEN.name(), "short"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("dashboard.operator.token:")
        .hasMessageNotContaining("short,");
  }

  @Test
  void settingsAreParsedWithErrorsNamingThem() {
    DashboardConfig config =
        DashboardConfig.from(
            Settings.of(
                Map.of(
                    "dashboard.window", "30s",
                    "dashboard.drift.min.signals", "4",
                    "dashboard.drift.retrain", "false")));
    assertThat(config.window()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.drift().minDriftedSignals()).isEqualTo(4);
    assertThat(config.drift().retrainOnAlert()).isFalse();
    assertThatThrownBy(
            () -> DashboardConfig.from(Settings.of(Map.of("dashboard.retention", "30s"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("dashboard.retention:");
    assertThatThrownBy(() -> DashboardConfig.from(Settings.of(Map.of("dashboard.window", "soon"))))
        .hasMessageStartingWith("dashboard.window:");
  }

  @Test
  void theViewerTokenIsRequiredAndLongEnoughOneLineNamingTheSetting() {
    assertThatThrownBy(() -> DashboardService.viewerToken(Settings.of(Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "dashboard.viewer.token: required (or SPINEFLOW_DASHBOARD_VIEWER_TOKEN)")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(
            () ->
                DashboardService.viewerToken(
                    Settings.of(Map.of(DashboardSettings.VIEWER_TOKEN.name(), "too-short"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("dashboard.viewer.token: must have at least 16 characters");
    assertThat(
            DashboardService.viewerToken(
                new Settings(
                    Map.of(),
                    Map.of("SPINEFLOW_DASHBOARD_VIEWER_TOKEN", "a-long-viewer-token-42"))))
        .isEqualTo("a-long-viewer-token-42");
  }

  @Test
  void theAdvertisedUrlIsSchemeHostAndPortMatchingTls() {
    PeerConfig none = PeerConfig.from(Settings.of(Map.of()));
    assertThat(none.federated()).isFalse();
    assertThat(none.applicationServer()).isEmpty();

    PeerConfig plain =
        PeerConfig.from(
            Settings.of(
                Map.of(DashboardSettings.ADVERTISED_URL.name(), "http://dash-1.peers:8080")));
    assertThat(plain.federated()).isTrue();
    assertThat(plain.applicationServer()).contains("dash-1.peers:8080");
    assertThat(plain.self().orElseThrow().port()).isEqualTo(8080);
    assertThat(plain.scheme()).isEqualTo("http");

    for (String bad :
        List.of("dash-1:8080", "http://dash-1", "ftp://dash-1:21", "http://dash-1:8080/x")) {
      assertThatThrownBy(
              () ->
                  PeerConfig.from(
                      Settings.of(Map.of(DashboardSettings.ADVERTISED_URL.name(), bad))))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("dashboard.advertised.url");
    }
    assertThatThrownBy(() -> PeerConfig.parse("http://dash-1:8080", true))
        .hasMessageContaining("must be https");
    assertThatThrownBy(() -> PeerConfig.parse("https://dash-1:8080", false))
        .hasMessageContaining("must be http");
    assertThatThrownBy(
            () ->
                PeerConfig.from(
                    Settings.of(Map.of(DashboardSettings.PEER_TRUST.name(), "/no/such/ca.pem"))))
        .hasMessageContaining("dashboard.peer.trust");
  }

  @Test
  void everySettingIsADashboardRowWithADescription() {
    for (Setting s : DashboardSettings.all()) {
      assertThat(s.description()).isNotBlank();
      if (s != DashboardSettings.OPERATOR_TOKEN) {
        assertThat(s.name()).startsWith("dashboard.");
        assertThat(s.envVar()).startsWith("SPINEFLOW_DASHBOARD_");
      }
    }
    assertThat(DashboardSettings.OPERATOR_TOKEN.envVar()).isEqualTo("SPINEFLOW_OPERATOR_TOKEN");
    assertThat(DashboardSettings.all()).doesNotHaveDuplicates();
  }
}
