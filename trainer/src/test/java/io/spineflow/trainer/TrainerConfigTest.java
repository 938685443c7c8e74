package io.spineflow.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.model.UNetConfig;
import io.spineflow.model.UNetVariant;
import io.spineflow.model.training.TrainingOptions;
import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {

  @Test
  void defaultsAreTheCpuProfile() {
    TrainerConfig c = TrainerConfig.from(Settings.of(Map.of("data.dir", "/var/spineflow")));
    assertThat(c.modelName()).isEqualTo("spine-unet");
    assertThat(c.modelStore()).isEqualTo(Path.of("/var/spineflow/models"));
    assertThat(c.profile()).isEqualTo("cpu");
    TrainingOptions t = c.training();
    assertThat(t.architecture()).isEqualTo(UNetConfig.profile("cpu"));
    assertThat(t.loss()).isEqualTo("focal-dice");
    assertThat(t.focalGamma()).isEqualTo(4.0f);
    assertThat(t.learningRate()).isEqualTo(3e-3f);
    assertThat(t.batchSize()).isEqualTo(8);
    assertThat(t.maxEpochs()).isEqualTo(60);
    assertThat(t.maxSteps()).isZero();
    assertThat(t.timeBudget()).isNull();
    assertThat(t.targetDice()).isNaN();
    assertThat(c.validationFraction()).isEqualTo(0.2);
    assertThat(c.triggerNewStudies()).isEqualTo(10);
    assertThat(c.schedule()).isNull();
    assertThat(c.fineTune()).isTrue();
    assertThat(c.gate()).isEqualTo(new PromotionGate(0.5, 0.01, 0.03));
    assertThat(c.gateRetryDelay()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void paperProfileUsesThePapersSchedule() {
    TrainerConfig c = TrainerConfig.from(Settings.of(Map.of("trainer.profile", "paper")));
    assertThat(c.training().architecture()).isEqualTo(UNetConfig.profile("paper"));
    assertThat(c.training().learningRate()).isEqualTo(1e-4f);
    assertThat(c.training().maxEpochs()).isEqualTo(100);
  }

  @Test
  void everyRowCanBeSet() {
    Map<String, String> values =
        Map.ofEntries(
            Map.entry("model.name", "lumbar"),
            Map.entry("model.store", "/models"),
            Map.entry("trainer.variant", "inception-unet"),
            Map.entry("trainer.loss", "ce-dice"),
            Map.entry("trainer.focal.gamma", "2"),
            Map.entry("trainer.learning.rate", "1e-4"),
            Map.entry("trainer.batch.size", "4"),
            Map.entry("trainer.epochs", "3"),
            Map.entry("trainer.patience", "2"),
            Map.entry("trainer.max.steps", "10"),
            Map.entry("trainer.time.budget", "10m"),
            Map.entry("trainer.target.dice", "0.9"),
            Map.entry("trainer.base.width", "8"),
            Map.entry("trainer.depth", "3"),
            Map.entry("trainer.slice.width", "64"),
            Map.entry("trainer.slice.height", "96"),
            Map.entry("trainer.seed", "5"),
            Map.entry("trainer.validation.fraction", "0.3"),
            Map.entry("trainer.min.studies", "2"),
            Map.entry("trainer.trigger.new.studies", "0"),
            Map.entry("trainer.schedule", "24h"),
            Map.entry("trainer.fine.tune", "false"),
            Map.entry("trainer.gate.first.min.dice", "0.2"),
            Map.entry("trainer.gate.mean.margin", "0.05"),
            Map.entry("trainer.gate.class.margin", "0.1"),
            Map.entry("trainer.gate.retry.delay", "5s"),
            Map.entry("trainer.failover.timeout", "8s"),
            Map.entry("trainer.threads", "1"),
            Map.entry("trainer.device", "cpu"));
    assertThat(values.keySet())
        .containsExactlyInAnyOrderElementsOf(
            TrainerSettings.all().stream()
                .filter(s -> !s.name().equals("trainer.profile"))
                .map(s -> s.name())
                .toList());
    TrainerConfig c = TrainerConfig.from(Settings.of(values));
    assertThat(c.modelName()).isEqualTo("lumbar");
    assertThat(c.modelStore()).isEqualTo(Path.of("/models"));
    TrainingOptions t = c.training();
    assertThat(t.architecture())
        .isEqualTo(
            UNetConfig.profile("cpu")
                .withVariant(UNetVariant.INCEPTION_UNET)
                .withWidths(8, 3, 64)
                .withInputSize(64, 96));
    assertThat(t.loss()).isEqualTo("ce-dice");
    assertThat(t.focalGamma()).isEqualTo(2f);
    assertThat(t.learningRate()).isEqualTo(1e-4f);
    assertThat(t.batchSize()).isEqualTo(4);
    assertThat(t.maxEpochs()).isEqualTo(3);
    assertThat(t.patience()).isEqualTo(2);
    assertThat(t.maxSteps()).isEqualTo(10);
    assertThat(t.timeBudget()).isEqualTo(Duration.ofMinutes(10));
    assertThat(t.targetDice()).isEqualTo(0.9);
    assertThat(t.seed()).isEqualTo(5);
    assertThat(t.device()).isEqualTo("cpu");
    assertThat(c.validationFraction()).isEqualTo(0.3);
    assertThat(c.minStudies()).isEqualTo(2);
    assertThat(c.triggerNewStudies()).isZero();
    assertThat(c.schedule()).isEqualTo(Duration.ofHours(24));
    assertThat(c.fineTune()).isFalse();
    assertThat(c.gate()).isEqualTo(new PromotionGate(0.2, 0.05, 0.1));
    assertThat(c.gateRetryDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.threads()).isEqualTo(1);
    assertThat(c.failoverTimeout()).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void sharedSettingsMatchInferences() {
    assertThat(TrainerSettings.MODEL_NAME.envVar()).isEqualTo("SPINEFLOW_MODEL_NAME");
    assertThat(TrainerSettings.MODEL_STORE.envVar()).isEqualTo("SPINEFLOW_MODEL_STORE");
    assertThat(TrainerSettings.all())
        .filteredOn(s -> s.name().startsWith("trainer."))
        .allSatisfy(s -> assertThat(s.envVar()).startsWith("SPINEFLOW_TRAINER_"));
  }

  @Test
  void badValuesNameTheSetting() {
    assertThatThrownBy(() -> TrainerConfig.from(Settings.of(Map.of("trainer.profile", "gpu"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trainer.profile");
    assertThatThrownBy(() -> TrainerConfig.from(Settings.of(Map.of("trainer.loss", "hinge"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trainer.loss");
    assertThatThrownBy(() -> TrainerConfig.from(Settings.of(Map.of("trainer.variant", "resnet"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trainer.variant");
    assertThatThrownBy(
            () -> TrainerConfig.from(Settings.of(Map.of("trainer.validation.fraction", "0.95"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trainer.validation.fraction");
    assertThatThrownBy(
            () -> TrainerConfig.from(Settings.of(Map.of("trainer.failover.timeout", "1h"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trainer.failover.timeout");
  }
}
