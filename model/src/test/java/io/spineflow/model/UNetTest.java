package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UNetTest {

  @BeforeAll
  static void engine() {
    DjlEngine.ensureStarted(TestEngine.THREADS);
  }

  @Test
  void cpuProfileMapsSlicesToFourClassLogitsOfTheSameSize() {
    UNetConfig config = UNetConfig.profile("cpu");
    try (NDManager manager = NDManager.newBaseManager()) {
      UNet unet = new UNet(config);
      unet.initialize(manager, DataType.FLOAT32, unet.inputShape(1));
      NDArray x = manager.randomUniform(0f, 1f, new Shape(3, 1, 128, 128));
      NDList out = unet.forward(new ParameterStore(manager, false), new NDList(x), false);
      assertThat(out).hasSize(1);
      assertThat(out.head().getShape()).isEqualTo(new Shape(3, 4, 128, 128));
      assertThat(unet.getOutputShapes(new Shape[] {x.getShape()}))
          .containsExactly(new Shape(3, 4, 128, 128));
      assertThat(out.head().isNaN().any().getBoolean()).isFalse();
    }
  }

  @Test
  void parameterCountsAreStable() {
    // Pinned so an accidental architecture change shows up here (and in the README's numbers);
    // the formula below derives the same number independently of the block code.
    assertThat(ModelSummary.describe(UNetConfig.profile("cpu")).total()).isEqualTo(1_945_284L);
    assertThat(expectedParameters(UNetConfig.profile("cpu"))).isEqualTo(1_945_284L);
    UNetConfig tiny = UNetConfig.profile("cpu").withWidths(8, 3, 64).withInputSize(64, 64);
    assertThat(ModelSummary.describe(tiny).total()).isEqualTo(expectedParameters(tiny));
    UNetConfig plain = tiny.withVariant(UNetVariant.PLAIN_UNET);
    assertThat(ModelSummary.describe(plain).total()).isEqualTo(expectedParameters(plain));
  }

  @Test
  void paperProfileHasTheFiveHundredTwelveChannelBottleneck() {
    ModelSummary summary = ModelSummary.describe(UNetConfig.profile("paper"));
    assertThat(summary.total()).isEqualTo(expectedParameters(UNetConfig.profile("paper")));
    assertThat(summary.blocks())
        .filteredOn(b -> b.name().equals("bottleneck"))
        .singleElement()
        .satisfies(b -> assertThat(b.description()).contains("256→512"));
    assertThat(summary.format()).contains("bottleneck").contains("total");
  }

  @Test
  void convolutionKernelsAreGlorotUniform() {
    UNetConfig config = UNetConfig.profile("cpu").withWidths(8, 2, 16).withInputSize(32, 32);
    try (NDManager manager = NDManager.newBaseManager()) {
      UNet unet = new UNet(config);
      unet.initialize(manager, DataType.FLOAT32, unet.inputShape(1));
      for (Pair<String, Parameter> p : unet.getParameters()) {
        if (p.getValue().getType() != Parameter.Type.WEIGHT) {
          continue;
        }
        Shape s = p.getValue().getShape();
        long receptive = s.size() / (s.get(0) * s.get(1));
        double limit = Math.sqrt(6.0 / ((s.get(0) + s.get(1)) * receptive));
        NDArray w = p.getValue().getArray();
        float max = w.abs().max().getFloat();
        assertThat((double) max).as(p.getKey()).isLessThanOrEqualTo(limit + 1e-6);
        if (s.size() >= 500) {
          // Enough samples that the largest |w| comes close to the limit (not He or √2·Glorot).
          assertThat((double) max).as(p.getKey()).isGreaterThan(0.85 * limit);
        }
      }
    }
  }

  @Test
  void inceptionVariantAddsAnAuxiliaryBottleneckOutput() {
    UNetConfig config =
        UNetConfig.profile("cpu")
            .withVariant(UNetVariant.INCEPTION_UNET)
            .withWidths(8, 3, 64)
            .withInputSize(64, 48);
    try (NDManager manager = NDManager.newBaseManager()) {
      UNet unet = new UNet(config);
      unet.initialize(manager, DataType.FLOAT32, unet.inputShape(1));
      NDArray x = manager.randomUniform(0f, 1f, new Shape(2, 1, 48, 64));
      NDList out = unet.forward(new ParameterStore(manager, false), new NDList(x), true);
      assertThat(out).hasSize(2);
      assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, 4, 48, 64));
      assertThat(out.get(1).getShape()).isEqualTo(new Shape(2, 4, 6, 8));
      NDList inference = unet.forward(new ParameterStore(manager, false), new NDList(x), false);
      assertThat(inference).hasSize(1);
    }
    ModelSummary summary = ModelSummary.describe(config);
    assertThat(summary.blocks().get(0).description()).contains("inception 1→32");
    assertThat(summary.blocks()).extracting(ModelSummary.BlockCount::name).contains("aux");
  }

  @Test
  void rejectsMultiChannelInput() {
    try (NDManager manager = NDManager.newBaseManager()) {
      UNet unet = new UNet(UNetConfig.profile("cpu"));
      assertThatThrownBy(
              () -> unet.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 128, 128)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[N, 1, H, W]");
    }
  }

  /** The parameter count of the non-inception variants, from the architecture's definition. */
  static long expectedParameters(UNetConfig c) {
    long total = 0;
    int d = c.depth();
    for (int level = 0; level < d; level++) {
      total += doubleConv(level == 0 ? 1 : c.levelWidth(level - 1), c.levelWidth(level));
    }
    total += doubleConv(c.levelWidth(d - 1), c.bottleneckChannels());
    for (int level = 0; level < d; level++) {
      long in = level == d - 1 ? c.bottleneckChannels() : c.levelWidth(level + 1);
      long out = c.levelWidth(level);
      total += 4 * out * in + out; // 2×2 up-conv as 1×1 to 4·out, one bias per output channel
      total += doubleConv(2 * out, out); // after concatenating the skip connection
    }
    total += (long) c.levelWidth(0) * c.classes() + c.classes(); // 1×1 head with bias
    return total;
  }

  /** Two bias-free 3×3 convolutions, each with BatchNorm (γ, β, running mean, running var). */
  private static long doubleConv(long in, long out) {
    return 9 * in * out + 9 * out * out + 2 * 4 * out;
  }
}
