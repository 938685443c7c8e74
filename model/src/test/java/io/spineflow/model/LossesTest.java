package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each loss on small tensors whose value is known in closed form. */
class LossesTest {

  /** Labels of a 2×2×3 batch with every class present: counts 5, 3, 2, 2 of 12 pixels. */
  private static final int[] LABELS = {0, 0, 1, 2, 0, 3, 1, 1, 0, 2, 3, 0};

  private NDManager manager;

  @BeforeAll
  static void engine() {
    DjlEngine.ensureStarted(TestEngine.THREADS);
  }

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private NDList labels() {
    return new NDList(manager.create(LABELS, new Shape(2, 2, 3)));
  }

  /** Logits that put {@code confidence} on the true class and 0 elsewhere. */
  private NDList perfect(float confidence) {
    NDArray oneHot = SegmentationLoss.oneHot(labels().head(), 4);
    return new NDList(oneHot.mul(confidence));
  }

  /** {@link #LABELS} as allowed-class bit sets (one bit each: a complete label). */
  private NDArray bits() {
    int[] bits = new int[LABELS.length];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = 1 << LABELS[i];
    }
    return manager.create(bits, new Shape(2, 2, 3));
  }

  private NDList uniform() {
    return new NDList(manager.zeros(new Shape(2, 4, 2, 3)));
  }

  private float eval(Loss loss, NDList predictions) {
    return loss.evaluate(labels(), predictions).getFloat();
  }

  @Test
  void oneHotPutsOneOnTheLabelChannel() {
    NDArray oneHot = SegmentationLoss.oneHot(labels().head(), 4);
    assertThat(oneHot.getShape()).isEqualTo(new Shape(2, 4, 2, 3));
    assertThat(oneHot.sum(new int[] {1}).toFloatArray()).containsOnly(1f);
    // Pixel 5 (batch 0, row 1, col 2) is class 3.
    assertThat(oneHot.get("0, :, 1, 2").toFloatArray()).containsExactly(0f, 0f, 0f, 1f);
  }

  @Test
  void diceIsZeroForAPerfectPredictionAndKnownForAUniformOne() {
    assertThat(eval(new DiceLoss(), perfect(30f))).isCloseTo(0f, within(1e-5f));
    // Uniform softmax p = 1/4: Dice_c = (2·n_c/4 + 1) / (12/4 + n_c + 1).
    int[] counts = {5, 3, 2, 2};
    double mean = 0;
    for (int n : counts) {
      mean += (0.5 * n + 1) / (3 + n + 1) / 4;
    }
    assertThat(eval(new DiceLoss(), uniform())).isCloseTo((float) (1 - mean), within(1e-6f));
  }

  @Test
  void crossEntropyOfAUniformPredictionIsLogOfTheClassCount() {
    assertThat(eval(new CategoricalCrossEntropyLoss(), uniform()))
        .isCloseTo((float) Math.log(4), within(1e-6f));
    assertThat(eval(new CategoricalCrossEntropyLoss(), perfect(30f))).isLessThan(1e-6f);
  }

  @Test
  void focalLossDownWeightsByOneMinusPToTheGamma() {
    // Uniform: p_t = 1/4 everywhere, so the loss is (3/4)^γ · ln 4.
    assertThat(eval(new FocalLoss(4f, null), uniform()))
        .isCloseTo((float) (Math.pow(0.75, 4) * Math.log(4)), within(1e-6f));
    assertThat(new FocalLoss().gamma()).isEqualTo(4f);
    // One pixel, logits (2, 0, 0, 0), true class 0: p = e²/(e² + 3).
    NDList one = new NDList(manager.create(new float[] {2, 0, 0, 0}, new Shape(1, 4, 1, 1)));
    NDList label = new NDList(manager.create(new int[] {0}, new Shape(1, 1, 1)));
    double p = Math.exp(2) / (Math.exp(2) + 3);
    assertThat(new FocalLoss(2f, null).evaluate(label, one).getFloat())
        .isCloseTo((float) (-Math.pow(1 - p, 2) * Math.log(p)), within(1e-6f));
    // γ = 0 is cross-entropy, on arbitrary logits.
    NDList random = new NDList(manager.randomNormal(new Shape(2, 4, 2, 3)));
    assertThat(eval(new FocalLoss(0f, null), random))
        .isCloseTo(eval(new CategoricalCrossEntropyLoss(), random), within(1e-5f));
  }

  @Test
  void focalClassWeightsScaleEachPixelByItsTrueClassWeight() {
    NDList one = new NDList(manager.create(new float[] {0, 1, 2, 3}, new Shape(1, 4, 1, 1)));
    NDList label = new NDList(manager.create(new int[] {2}, new Shape(1, 1, 1)));
    float plain = new FocalLoss(2f, null).evaluate(label, one).getFloat();
    float weighted = new FocalLoss(2f, new float[] {1, 2, 3, 4}).evaluate(label, one).getFloat();
    assertThat(weighted).isCloseTo(3 * plain, within(1e-6f));
  }

  @Test
  void tverskyWithEqualWeightsIsDice() {
    // (TP + ε) / (TP + FP/2 + FN/2 + ε) = (2TP + 2ε) / (Σp + Σy + 2ε): Dice with twice the ε.
    NDList random = new NDList(manager.randomNormal(new Shape(2, 4, 2, 3)));
    assertThat(eval(new TverskyLoss(0.5f, 0.5f, 0.5f), random))
        .isCloseTo(eval(new DiceLoss(), random), within(1e-6f));
    assertThat(eval(new TverskyLoss(), perfect(30f))).isCloseTo(0f, within(1e-5f));
    // Missing pixels cost more than false alarms with β > α: predicting everything as background
    // is penalised more by (0.3, 0.7) than by (0.7, 0.3).
    NDArray allBackground = manager.zeros(new Shape(2, 4, 2, 3));
    allBackground.set(new ai.djl.ndarray.index.NDIndex(":, 0"), 10f);
    NDList bg = new NDList(allBackground);
    assertThat(eval(new TverskyLoss(0.3f, 0.7f, 1f), bg))
        .isGreaterThan(eval(new TverskyLoss(0.7f, 0.3f, 1f), bg));
  }

  @Test
  void combinedLossIsTheWeightedSum() {
    NDList random = new NDList(manager.randomNormal(new Shape(2, 4, 2, 3)));
    float focal = eval(new FocalLoss(4f, null), random);
    float dice = eval(new DiceLoss(), random);
    assertThat(eval(CombinedLoss.focalDice(), random))
        .isCloseTo(0.6f * focal + 0.4f * dice, within(1e-6f));
    float ce = eval(new CategoricalCrossEntropyLoss(), random);
    assertThat(eval(CombinedLoss.crossEntropyDice(), random)).isCloseTo(ce + dice, within(1e-6f));
  }

  @Test
  void auxiliaryLossUpsamplesTheCoarseOutput() {
    // Labels constant on 2×2 blocks, coarse logits equal to those blocks: the upsampled auxiliary
    // output is the full output, so the total is (1 + weight) · loss.
    int[] coarseLabels = {1, 3};
    int[] fine = new int[16];
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 4; x++) {
        fine[y * 4 + x] = coarseLabels[x / 2];
      }
    }
    NDList labels = new NDList(manager.create(fine, new Shape(1, 2, 4)));
    NDArray coarse = manager.randomNormal(new Shape(1, 4, 1, 2));
    NDArray full = coarse.repeat(2, 2).repeat(3, 2);
    assertThat(full.getShape()).isEqualTo(new Shape(1, 4, 2, 4));
    Loss dice = new DiceLoss();
    float single = dice.evaluate(labels, new NDList(full)).getFloat();
    float both =
        new AuxiliaryOutputLoss(dice, 0.5f).evaluate(labels, new NDList(full, coarse)).getFloat();
    assertThat(both).isCloseTo(1.5f * single, within(1e-6f));
    assertThat(new AuxiliaryOutputLoss(dice, 0.5f).evaluate(labels, new NDList(full)).getFloat())
        .isCloseTo(single, within(1e-7f));
  }

  @Test
  void labelsOfAnyIntegerTypeWork() {
    NDList asLong =
        new NDList(manager.create(LABELS, new Shape(2, 2, 3)).toType(DataType.INT64, false));
    NDList asByte =
        new NDList(manager.create(LABELS, new Shape(2, 2, 3)).toType(DataType.UINT8, false));
    NDList random = new NDList(manager.randomNormal(new Shape(2, 4, 2, 3)));
    Loss loss = CombinedLoss.focalDice();
    float reference = eval(loss, random);
    assertThat(loss.evaluate(asLong, random).getFloat()).isCloseTo(reference, within(1e-6f));
    assertThat(loss.evaluate(asByte, random).getFloat()).isCloseTo(reference, within(1e-6f));
  }

  @Test
  void mismatchedShapesAreRejected() {
    NDList wrong = new NDList(manager.zeros(new Shape(2, 4, 3, 3)));
    assertThatThrownBy(() -> eval(new DiceLoss(), wrong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(2, 4, 3, 3)");
  }

  @Test
  void namedFactoryKnowsEveryConfiguredLoss() {
    for (String name : Losses.names()) {
      Loss loss = Losses.named(name);
      assertThat(loss.getName()).isEqualTo(name);
      NDList labels = PartialLabelLoss.accepts(loss) ? new NDList(bits()) : labels();
      assertThat(loss.evaluate(labels, uniform()).getFloat()).isFinite().isPositive();
    }
    // The default is the partial-label form of Ahmed et al.'s loss, equal to it on complete labels.
    assertThat(Losses.named("focal-dice")).isInstanceOf(PartialFocalDiceLoss.class);
    NDList random = new NDList(manager.randomNormal(new Shape(2, 4, 2, 3)));
    assertThat(Losses.named("focal-dice").evaluate(new NDList(bits()), random).getFloat())
        .isCloseTo(eval(CombinedLoss.focalDice(), random), within(1e-5f));
    assertThatThrownBy(() -> Losses.named("hinge"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("focal-dice");
    UNetConfig inception = UNetConfig.profile("cpu").withVariant(UNetVariant.INCEPTION_UNET);
    assertThat(Losses.forArchitecture(new DiceLoss(), inception))
        .isInstanceOf(AuxiliaryOutputLoss.class);
    assertThat(Losses.forArchitecture(new DiceLoss(), UNetConfig.profile("cpu")))
        .isInstanceOf(DiceLoss.class);
    assertThat(List.of(Losses.names().get(0))).containsExactly("focal-dice");
  }
}
