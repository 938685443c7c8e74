package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SliceSegmentationTranslatorTest {

  private static final UNetConfig SMALL =
      UNetConfig.profile("cpu").withWidths(4, 2, 8).withInputSize(8, 4);

  @BeforeAll
  static void engine() {
    DjlEngine.ensureStarted(TestEngine.THREADS);
  }

  @Test
  void inputArrayStacksSlicesRowMajor() {
    SliceSegmentationTranslator translator = new SliceSegmentationTranslator(SMALL);
    float[] a = new float[32];
    float[] b = new float[32];
    for (int i = 0; i < 32; i++) {
      a[i] = i / 32f;
      b[i] = 1 - i / 32f;
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x =
          translator.toInputArray(
              manager, List.of(new SliceInput(a, 8, 4), new SliceInput(b, 8, 4)));
      assertThat(x.getShape()).isEqualTo(new Shape(2, 1, 4, 8));
      // Row 2, column 5 of slice 1 is b[2·8 + 5].
      assertThat(x.getFloat(1, 0, 2, 5)).isEqualTo(b[21]);
      assertThat(x.getFloat(0, 0, 3, 7)).isEqualTo(a[31]);
    }
  }

  @Test
  void wrongSizeOrNonFinitePixelsAreRejectedWithTheSizes() {
    SliceSegmentationTranslator translator = new SliceSegmentationTranslator(SMALL);
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThatThrownBy(
              () -> translator.toInputArray(manager, List.of(new SliceInput(new float[12], 4, 3))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("4×3")
          .hasMessageContaining("8×4");
      float[] nan = new float[32];
      nan[9] = Float.NaN;
      assertThatThrownBy(() -> translator.validate(new SliceInput(nan, 8, 4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("x=1, y=1");
      assertThatThrownBy(() -> translator.toInputArray(manager, List.of()))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new SliceInput(new float[5], 2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 4 pixels, got 5");
  }

  @Test
  void logitsBecomeArgmaxClassesAndSoftmaxProbabilities() {
    // Two slices of 1×2 pixels, 4 classes; logits chosen so each pixel has a known winner.
    float[][][] logits = {
      {{3, 0}, {1, 0}, {0, 0}, {0, 5}}, // slice 0: pixel 0 → class 0, pixel 1 → class 3
      {{0, 2}, {4, 2}, {0, 9}, {0, 2}}, // slice 1: pixel 0 → class 1, pixel 1 → class 2
    };
    float[] flat = new float[16];
    int k = 0;
    for (float[][] slice : logits) {
      for (float[] plane : slice) {
        for (float v : plane) {
          flat[k++] = v;
        }
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      List<Segmentation> out =
          SliceSegmentationTranslator.fromLogits(manager.create(flat, new Shape(2, 4, 1, 2)));
      assertThat(out).hasSize(2);
      assertThat(out.get(0).classes()).containsExactly(0, 3);
      assertThat(out.get(1).classes()).containsExactly(1, 2);
      Segmentation s0 = out.get(0);
      assertThat(s0.width()).isEqualTo(2);
      assertThat(s0.height()).isEqualTo(1);
      assertThat(s0.classCount()).isEqualTo(4);
      double z = Math.exp(3) + Math.exp(1) + 2;
      assertThat(s0.probability(0, 0, 0)).isCloseTo((float) (Math.exp(3) / z), within(1e-6f));
      assertThat(s0.probability(1, 0, 0)).isCloseTo((float) (Math.exp(1) / z), within(1e-6f));
      assertThat(s0.probability(2, 0, 0)).isCloseTo((float) (1 / z), within(1e-6f));
      for (Segmentation s : out) {
        for (int x = 0; x < 2; x++) {
          float sum = 0;
          for (int c = 0; c < 4; c++) {
            sum += s.probability(c, x, 0);
          }
          assertThat(sum).isCloseTo(1f, within(1e-6f));
        }
      }
    }
  }

  @Test
  void batchPredictRunsOneBatchThroughARealModel() throws TranslateException {
    UNetConfig config = UNetConfig.profile("cpu").withWidths(8, 3, 32).withInputSize(64, 48);
    List<SliceInput> slices = new ArrayList<>();
    for (LabelledSlice s : SyntheticSlices.generate(5, 64, 48, 3)) {
      slices.add(s.input());
    }
    try (SegmentationModel model = SegmentationModel.untrained(config, Device.cpu(), 5);
        Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
      List<Segmentation> batch = predictor.batchPredict(slices);
      long arraysBefore = managedArrays(model);
      Segmentation single = predictor.predict(slices.get(3));
      predictor.batchPredict(slices);
      assertThat(managedArrays(model)).as("arrays left in the model").isEqualTo(arraysBefore);

      assertThat(batch).hasSize(5);
      for (Segmentation s : batch) {
        assertThat(s.width()).isEqualTo(64);
        assertThat(s.height()).isEqualTo(48);
        assertThat(s.classes()).hasSize(64 * 48);
        assertThat(s.probabilities()).hasSize(4 * 64 * 48);
        for (int i = 0; i < 64 * 48; i++) {
          float sum = 0;
          float best = -1;
          int argmax = -1;
          for (int c = 0; c < 4; c++) {
            float p = s.probabilities()[c * 64 * 48 + i];
            sum += p;
            if (p > best) {
              best = p;
              argmax = c;
            }
          }
          assertThat(sum).isCloseTo(1f, within(1e-5f));
          assertThat((int) s.classes()[i]).isEqualTo(argmax);
        }
      }
      // Inference mode: a slice's result does not depend on its batch-mates.
      assertThat(single.probabilities())
          .containsExactly(batch.get(3).probabilities(), within(1e-5f));
      assertThatThrownBy(() -> predictor.predict(new SliceInput(new float[16], 4, 4)))
          .isInstanceOf(TranslateException.class)
          .hasRootCauseInstanceOf(IllegalArgumentException.class)
          .hasRootCauseMessage("slice is 4×4 (width×height) but the model expects 64×48");
    }
  }

  private static long managedArrays(SegmentationModel model) {
    return ((BaseNDManager) model.djlModel().getNDManager()).getManagedArrays().size();
  }
}
