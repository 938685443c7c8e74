package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The depth-to-space up-convolution against a transposed convolution written out in loops. */
class TransposedConv2x2Test {

  private static final float TOLERANCE = 1e-4f;

  @BeforeAll
  static void engine() {
    DjlEngine.ensureStarted(TestEngine.THREADS);
  }

  @ParameterizedTest(name = "in={0} out={1} {2}x{3}")
  @CsvSource({"1, 1, 1, 1", "1, 3, 4, 5", "3, 2, 3, 5", "5, 7, 2, 3", "16, 8, 4, 4"})
  void matchesNaiveTransposedConvolution(int in, int out, int height, int width) {
    Random random = new Random(31L * in + out);
    int n = 2;
    float[] x = randoms(random, n * in * height * width);
    float[] kernel = randoms(random, in * out * 4); // PyTorch layout [in, out, 2, 2]
    float[] bias = randoms(random, out);

    float[] expected = naiveTransposedConv(x, kernel, bias, n, in, out, height, width);
    float[] actual = runBlock(x, kernel, bias, n, in, out, height, width);

    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(TOLERANCE));
    }
  }

  @Test
  void comparisonDetectsAWrongKernelLayout() {
    // The check above must be able to fail: feeding the block a kernel with the two spatial axes
    // swapped (a plausible reshape bug) has to produce different output.
    Random random = new Random(7);
    int n = 1;
    int in = 3;
    int out = 2;
    int h = 3;
    int w = 4;
    float[] x = randoms(random, n * in * h * w);
    float[] kernel = randoms(random, in * out * 4);
    float[] swapped = new float[kernel.length];
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        for (int a = 0; a < 2; a++) {
          for (int b = 0; b < 2; b++) {
            swapped[kIndex(i, o, a, b, out)] = kernel[kIndex(i, o, b, a, out)];
          }
        }
      }
    }
    float[] bias = new float[out];
    float[] expected = naiveTransposedConv(x, kernel, bias, n, in, out, h, w);
    float[] wrong = runBlock(x, swapped, bias, n, in, out, h, w);
    float maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(expected[i] - wrong[i]));
    }
    assertThat(maxDiff).isGreaterThan(100 * TOLERANCE);
  }

  @Test
  void weightLayoutIsOutTimesFourPlusSpatialOffset() {
    // The documented 1×1 weight layout, channel o·4 + a·2 + b, built by hand instead of through
    // fromTransposedKernel, gives the same result as the naive transposed convolution.
    Random random = new Random(11);
    int in = 2;
    int out = 3;
    float[] x = randoms(random, in * 2 * 2);
    float[] kernel = randoms(random, in * out * 4);
    float[] weight = new float[out * 4 * in];
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        for (int a = 0; a < 2; a++) {
          for (int b = 0; b < 2; b++) {
            weight[(o * 4 + a * 2 + b) * in + i] = kernel[kIndex(i, o, a, b, out)];
          }
        }
      }
    }
    float[] bias = randoms(random, out);
    float[] expected = naiveTransposedConv(x, kernel, bias, 1, in, out, 2, 2);
    try (NDManager manager = NDManager.newBaseManager()) {
      TransposedConv2x2 block = new TransposedConv2x2(in, out);
      block.initialize(manager, DataType.FLOAT32, new Shape(1, in, 2, 2));
      block.getParameters().get("weight").getArray().set(weight);
      block.getParameters().get("bias").getArray().set(bias);
      NDArray input = manager.create(x, new Shape(1, in, 2, 2));
      float[] actual =
          block
              .forward(new ParameterStore(manager, false), new NDList(input), false)
              .singletonOrThrow()
              .toFloatArray();
      for (int i = 0; i < expected.length; i++) {
        assertThat(actual[i]).isCloseTo(expected[i], within(TOLERANCE));
      }
    }
  }

  @Test
  void rejectsWrongInputChannels() {
    try (NDManager manager = NDManager.newBaseManager()) {
      TransposedConv2x2 block = new TransposedConv2x2(4, 2);
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 2, 2));
      NDArray input = manager.zeros(new Shape(1, 3, 2, 2));
      assertThatThrownBy(
              () -> block.forward(new ParameterStore(manager, false), new NDList(input), false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[N, 4, H, W]");
    }
  }

  /** {@code y[n, o, 2h+a, 2w+b] = Σ_i x[n, i, h, w] · K[i, o, a, b] + bias[o]}, by definition. */
  static float[] naiveTransposedConv(
      float[] x, float[] kernel, float[] bias, int n, int in, int out, int h, int w) {
    int oh = 2 * h;
    int ow = 2 * w;
    float[] y = new float[n * out * oh * ow];
    for (int b0 = 0; b0 < n; b0++) {
      for (int o = 0; o < out; o++) {
        for (int r = 0; r < oh; r++) {
          for (int c = 0; c < ow; c++) {
            y[((b0 * out + o) * oh + r) * ow + c] = bias[o];
          }
        }
      }
      // Scatter form of the transposed convolution: every input pixel adds kernel·value to the
      // output positions its stride-2 window covers (general formula, no assumption of 2×2
      // non-overlap).
      for (int i = 0; i < in; i++) {
        for (int r = 0; r < h; r++) {
          for (int c = 0; c < w; c++) {
            float v = x[((b0 * in + i) * h + r) * w + c];
            for (int o = 0; o < out; o++) {
              for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                  int orow = r * 2 + a;
                  int ocol = c * 2 + b;
                  y[((b0 * out + o) * oh + orow) * ow + ocol] +=
                      v * kernel[kIndex(i, o, a, b, out)];
                }
              }
            }
          }
        }
      }
    }
    return y;
  }

  private static float[] runBlock(
      float[] x, float[] kernel, float[] bias, int n, int in, int out, int h, int w) {
    try (NDManager manager = NDManager.newBaseManager()) {
      TransposedConv2x2 block = new TransposedConv2x2(in, out);
      block.initialize(manager, DataType.FLOAT32, new Shape(n, in, h, w));
      NDArray k = manager.create(kernel, new Shape(in, out, 2, 2));
      block
          .getParameters()
          .get("weight")
          .getArray()
          .set(TransposedConv2x2.fromTransposedKernel(k).toFloatArray());
      block.getParameters().get("bias").getArray().set(bias);
      NDArray input = manager.create(x, new Shape(n, in, h, w));
      NDArray y =
          block
              .forward(new ParameterStore(manager, false), new NDList(input), false)
              .singletonOrThrow();
      assertThat(y.getShape()).isEqualTo(new Shape(n, out, 2L * h, 2L * w));
      return y.toFloatArray();
    }
  }

  private static int kIndex(int i, int o, int a, int b, int out) {
    return ((i * out + o) * 2 + a) * 2 + b;
  }

  private static float[] randoms(Random random, int count) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private static Offset<Float> within(float tolerance) {
    return Offset.offset(tolerance);
  }
}
