package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.imaging.metrics.SpineClass;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The partial-label loss with real DJL autograd on constructed cases: what it puts a gradient on,
 * and what it does not.
 */
class PartialFocalDiceLossTest {
  private static final int BG = SpineClass.BACKGROUND.id();
  private static final int VERTEBRA = SpineClass.VERTEBRAE.id();
  private static final int DISC = SpineClass.DISCS.id();
  private static final int W = 4;
  private static final int H = 4;

  /**
   * A 4×4 slice labelled "discs only" on rows 1..3: row 0 is outside the extent. One disc pixel at
   * (row 1, col 0); every other pixel is 0, which for a discs-only label means "not a disc",
   * whatever else it may be.
   */
  private static final SliceLabelScope DISCS_ROWS_1_TO_3 =
      new SliceLabelScope(EnumSet.of(LabelledStructure.DISCS), 1, 3);

  /** The 0-pixel (row 2, col 1) where the model is confident it sees a vertebra. */
  private static final int ROW = 2;

  private static final int COL = 1;

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

  @Test
  void equalsAhmedsFocalDiceOnCompleteLabels() {
    Random random = new Random(3);
    for (int trial = 0; trial < 5; trial++) {
      int[] labels = new int[2 * 8 * 8];
      int[] bits = new int[labels.length];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = random.nextInt(4);
        bits[i] = 1 << labels[i];
      }
      NDList logits = new NDList(manager.randomNormal(new Shape(2, 4, 8, 8)).mul(3f));
      float plain =
          CombinedLoss.focalDice()
              .evaluate(new NDList(manager.create(labels, new Shape(2, 8, 8))), logits)
              .getFloat();
      float partial =
          new PartialFocalDiceLoss()
              .evaluate(new NDList(manager.create(bits, new Shape(2, 8, 8))), logits)
              .getFloat();
      assertThat(partial).isCloseTo(plain, within(1e-5f));
    }
  }

  @Test
  void noGradientOutsideTheExtentNorTowardBackgroundForAnUnlabelledStructure() {
    byte[] mask = new byte[W * H];
    mask[W] = (byte) DISC; // row 1, col 0
    NDArray allowed =
        manager.create(toInts(DISCS_ROWS_1_TO_3.allowedClasses(mask, W, H)), new Shape(1, H, W));
    NDArray gradient = gradient(new PartialFocalDiceLoss(), allowed);

    // Outside the extent (row 0): exactly no gradient on any class.
    float[] outside = gradient.get(new NDIndex("0, :, 0, :")).toFloatArray();
    assertThat(outside).containsOnly(0f);

    // The 0-pixel where the model sees a vertebra: a disc-only label says nothing about
    // vertebrae, so descent must not lower the vertebra's logit relative to the background's.
    float towardVertebra = gradient.getFloat(0, VERTEBRA, ROW, COL);
    float towardBackground = gradient.getFloat(0, BG, ROW, COL);
    assertThat(towardVertebra).isLessThanOrEqualTo(towardBackground);
    // ... while it does push the disc down there (a known negative).
    assertThat(gradient.getFloat(0, DISC, ROW, COL)).isPositive();

    // The plain loss, reading the same 0 as background, pushes the vertebra toward background.
    int[] classes = new int[W * H];
    classes[W] = DISC;
    NDArray plain = gradient(CombinedLoss.focalDice(), manager.create(classes, new Shape(1, H, W)));
    assertThat(plain.getFloat(0, VERTEBRA, ROW, COL))
        .isGreaterThan(plain.getFloat(0, BG, ROW, COL));
    // ... and puts a gradient outside the extent too.
    assertThat(plain.get(new NDIndex("0, :, 0, :")).abs().sum().getFloat()).isPositive();
  }

  @Test
  void aClassWithOnlyKnownNegativesIsPushedDownThere() {
    // Shi et al.'s exclusion: the label is discs-only and has no disc pixel in the extent, so every
    // labelled pixel is a known non-disc; where the model predicts a disc, the loss lowers it.
    byte[] mask = new byte[W * H];
    NDArray allowed =
        manager.create(toInts(DISCS_ROWS_1_TO_3.allowedClasses(mask, W, H)), new Shape(1, H, W));
    NDArray logits = logits();
    logits.set(new NDIndex("0, " + DISC + ", 3, 3"), 4f);
    NDArray gradient = gradient(new PartialFocalDiceLoss(), allowed, logits);
    assertThat(gradient.getFloat(0, DISC, 3, 3)).isPositive();
  }

  @Test
  void theMarkerSeesThroughTheAuxiliaryOutputWrapper() {
    assertThat(PartialLabelLoss.accepts(new PartialFocalDiceLoss())).isTrue();
    assertThat(PartialLabelLoss.accepts(new AuxiliaryOutputLoss(new PartialFocalDiceLoss(), 1f)))
        .isTrue();
    assertThat(PartialLabelLoss.accepts(CombinedLoss.focalDice())).isFalse();
    assertThat(PartialLabelLoss.accepts(new AuxiliaryOutputLoss(new DiceLoss(), 1f))).isFalse();
  }

  /** Logits: background everywhere (2), a confident vertebra (4) at (ROW, COL), disc at (1, 0). */
  private NDArray logits() {
    NDArray z = manager.zeros(new Shape(1, 4, H, W));
    z.set(new NDIndex("0, " + BG), 2f);
    z.set(new NDIndex("0, " + VERTEBRA + ", " + ROW + ", " + COL), 4f);
    z.set(new NDIndex("0, " + DISC + ", 1, 0"), 4f);
    // Row 0 (outside the extent) predicts a vertebra: the partial loss must not care.
    z.set(new NDIndex("0, " + VERTEBRA + ", 0, :"), 3f);
    return z;
  }

  private NDArray gradient(Loss loss, NDArray labels) {
    return gradient(loss, labels, logits());
  }

  private static NDArray gradient(Loss loss, NDArray labels, NDArray logits) {
    logits.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray value = loss.evaluate(new NDList(labels), new NDList(logits));
      collector.backward(value);
    }
    return logits.getGradient();
  }

  private static int[] toInts(byte[] bits) {
    int[] out = new int[bits.length];
    for (int i = 0; i < bits.length; i++) {
      out[i] = bits[i] & 0xFF;
    }
    return out;
  }
}
