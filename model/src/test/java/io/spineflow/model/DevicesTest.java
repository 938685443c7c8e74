package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

class DevicesTest {

  @BeforeAll
  static void engine() {
    DjlEngine.ensureStarted(TestEngine.THREADS);
  }

  static boolean gpuAvailable() {
    return Devices.gpuCount() > 0;
  }

  @Test
  void bestIsTheCpuWithoutAUsableGpu() {
    if (!gpuAvailable()) {
      assertThat(Devices.best()).isEqualTo(Device.cpu());
      assertThatThrownBy(() -> Devices.parse("gpu"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("0 usable GPU");
    }
    assertThat(Devices.parse("cpu")).isEqualTo(Device.cpu());
    assertThat(Devices.parse(" AUTO ")).isEqualTo(Devices.best());
    assertThatThrownBy(() -> Devices.parse("tpu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto, cpu, gpu or gpuN");
  }

  @Test
  @EnabledIf(
      value = "gpuAvailable",
      disabledReason =
          "needs a CUDA GPU and a CUDA libtorch (PYTORCH_LIBRARY_PATH/PYTORCH_FLAVOR): none here")
  void trainsAndPredictsOnTheGpu() throws Exception {
    UNetConfig config = UNetConfig.profile("cpu").withWidths(8, 3, 64).withInputSize(64, 64);
    assertThat(Devices.best().isGpu()).isTrue();
    try (SegmentationTrainer trainer =
        SegmentationTrainer.builder().setConfig(config).optDevice(Devices.best()).build()) {
      List<LabelledSlice> batch = SyntheticSlices.generate(4, 64, 64, 2);
      assertThat(trainer.step(batch).isFinite()).isTrue();
      assertThat(trainer.predict(List.of(batch.get(0).input()))).hasSize(1);
    }
    try (SegmentationModel model = SegmentationModel.untrained(config, Devices.best(), 1);
        Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
      model.warmUp(2);
      assertThat(predictor.predict(SyntheticSlices.generate(1, 64, 64, 3).get(0).input()))
          .isNotNull();
    }
  }
}
