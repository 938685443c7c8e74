package io.spineflow.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.ConfigException;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** delivery without a target, and settings it refuses at start-up (no broker needed for either). */
class DeliveryServiceTest {
  @Test
  void withoutATargetItIdlesUpAndSaysWhy() {
    Settings settings = Settings.of(Map.of("bootstrap.servers", "127.0.0.1:1"));
    try (DeliveryService service =
        DeliveryService.create(ServiceContext.from("delivery", settings))) {
      assertThat(service.health().up()).isFalse();
      service.start();
      assertThat(service.health().up()).isTrue();
      assertThat(service.health().state()).isEqualTo("IDLE");
      assertThat(service.health().details().get("reason").toString())
          .contains("delivery.stow.url")
          .contains("delivery.dicom.host");
    }
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(
            () ->
                DeliveryConfig.from(
                    Settings.of(
                        Map.of(
                            "delivery.dicom.host", "pacs",
                            "delivery.dicom.called.ae", "A_TITLE_FAR_TOO_LONG"))))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.setting()).isEqualTo("delivery.dicom.called.ae"));
    assertThatThrownBy(
            () -> DeliveryConfig.from(Settings.of(Map.of("delivery.stow.url", "ftp://pacs/"))))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.setting()).isEqualTo("delivery.stow.url"));
    assertThatThrownBy(
            () ->
                DeliveryConfig.from(
                    Settings.of(
                        Map.of("delivery.backoff.initial", "10s", "delivery.backoff.max", "1s"))))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.setting()).isEqualTo("delivery.backoff.max"));
  }

  @Test
  void theWorstCaseBoundsEveryAttemptAndWait() {
    DeliveryConfig config =
        DeliveryConfig.from(
            Settings.of(
                Map.of(
                    "delivery.dicom.host", "pacs",
                    "delivery.stow.url", "http://pacs/dicom-web",
                    "delivery.attempts", "3",
                    "delivery.backoff.initial", "1s",
                    "delivery.backoff.max", "1s",
                    "delivery.connect.timeout", "2s",
                    "delivery.read.timeout", "3s")));
    // 2 targets × (3 attempts × 5 s + 2 waits × 1 s)
    assertThat(config.worstCase()).hasSeconds(34);
  }
}
