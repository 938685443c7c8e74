package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SegmentationModelTest {

  private static final UNetConfig SMALL =
      UNetConfig.profile("cpu").withWidths(4, 2, 8).withInputSize(32, 32);

  @BeforeAll
  static void engine() {
    DjlEngine.ensureStarted(TestEngine.THREADS);
  }

  @Test
  void warmUpPassesForAHealthyModel() throws ModelRejectedException {
    try (SegmentationModel model = SegmentationModel.untrained(SMALL, Device.cpu(), 1)) {
      assertThat(model.warmUp(3)).isPositive();
      assertThat(model.source()).isEmpty();
      assertThat(model.config()).isEqualTo(SMALL);
    }
  }

  @Test
  void warmUpRejectsNanOutputs() {
    try (SegmentationModel model = SegmentationModel.untrained(SMALL, Device.cpu(), 1)) {
      NDArray headBias =
          model
              .djlModel()
              .getBlock()
              .getParameters()
              .valueAt(model.djlModel().getBlock().getParameters().size() - 1)
              .getArray();
      headBias.set(new float[] {0f, Float.NaN, 0f, 0f});
      assertThatThrownBy(model::warmUp)
          .isInstanceOf(ModelRejectedException.class)
          .hasMessageStartingWith("NAN_OUTPUT")
          .satisfies(
              e ->
                  assertThat(((ModelRejectedException) e).reason())
                      .isEqualTo(ModelRejectedException.Reason.NAN_OUTPUT));
    }
  }
}
