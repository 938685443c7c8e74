package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.spineflow.imaging.labels.SliceLabelScope;

/**
 * Ahmed et al.'s {@code 0.6·focal + 0.4·Dice} for partial labels, after Shi et al. 2021 ("Marginal
 * loss and exclusion loss for partially supervised multi-organ segmentation"). Labels are
 * allowed-class bit sets {@code [N, H, W]} ({@link PartialLabelLoss}); predictions are logits
 * {@code [N, C, H, W]}.
 *
 * <ul>
 *   <li><b>Marginal focal term</b>: per pixel, {@code P_A} is the softmax probability summed over
 *       the classes the pixel may be (unlabelled classes merged with background), and the loss is
 *       {@code −(1 − P_A)^γ log P_A}; its mean is taken over the pixels that carry information (not
 *       every class allowed). A pixel about which nothing is known (outside the labelled extent, or
 *       {@link SliceLabelScope#UNKNOWN}) contributes exactly nothing.
 *   <li><b>Marginal Dice term</b>: per class {@code c}, counted on the pixels where {@code c} is
 *       known: known-positive (allowed = {c}) and known-negative (c not allowed); other pixels are
 *       left out of numerator and denominator. A class with known negatives but no known positive
 *       in the batch still counts (Dice {@code ε / (Σp + ε)}): that is Shi et al.'s exclusion term,
 *       pushing {@code p_c} to 0 where another labelled structure is. Classes with no known pixel
 *       are skipped; the loss is {@code 1 − mean} over the others.
 * </ul>
 *
 * <p>On complete labels (one bit per pixel) this equals {@link CombinedLoss#focalDice(float, float,
 * float)} with the same weights and γ (tested).
 */
public final class PartialFocalDiceLoss extends SegmentationLoss implements PartialLabelLoss {

  private final float focalWeight;
  private final float diceWeight;
  private final float gamma;
  private final float smooth;

  /** Ahmed et al.'s weights and γ: {@code 0.6·focal(γ=4) + 0.4·Dice}, ε = 1. */
  public PartialFocalDiceLoss() {
    this(0.6f, 0.4f, FocalLoss.PAPER_GAMMA);
  }

  /**
   * @param focalWeight factor of the marginal focal term
   * @param diceWeight factor of the marginal Dice term
   * @param gamma focusing parameter, {@code >= 0}
   */
  public PartialFocalDiceLoss(float focalWeight, float diceWeight, float gamma) {
    super("focal-dice");
    if (!(gamma >= 0f) || !Float.isFinite(focalWeight) || !Float.isFinite(diceWeight)) {
      throw new IllegalArgumentException(
          "gamma must be >= 0 and weights finite: "
              + gamma
              + ", "
              + focalWeight
              + ", "
              + diceWeight);
    }
    this.focalWeight = focalWeight;
    this.diceWeight = diceWeight;
    this.gamma = gamma;
    this.smooth = 1f;
  }

  /** The focusing parameter. */
  public float gamma() {
    return gamma;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logits = logits(labels, predictions);
    int classes = Math.toIntExact(logits.getShape().get(1));
    NDArray allowed = allowedMask(labels.head(), classes);
    NDArray logP = logits.logSoftmax(1);
    return focal(logP, allowed, classes)
        .mul(focalWeight)
        .add(dice(logP.exp(), allowed).mul(diceWeight));
  }

  /**
   * The allowed-class bit sets {@code [N, H, W]} as a float mask {@code [N, C, H, W]}: 1 where the
   * pixel may be the class.
   */
  public static NDArray allowedMask(NDArray bits, int classes) {
    NDManager manager = bits.getManager();
    float[] powers = new float[classes];
    for (int c = 0; c < classes; c++) {
      powers[c] = 1 << c;
    }
    NDArray divisors = manager.create(powers).reshape(1, classes, 1, 1);
    return bits.toType(DataType.FLOAT32, false)
        .expandDims(1)
        .div(divisors)
        .floor()
        .mod(2f)
        .toType(DataType.FLOAT32, false);
  }

  /** Mean over informative pixels of {@code −(1 − P_A)^γ log P_A}. */
  private NDArray focal(NDArray logP, NDArray allowed, int classes) {
    // log P_A = logsumexp over the allowed classes, with disallowed ones pushed far below: exactly
    // log p_t when one class is allowed (the others add exp(-1e4) = 0).
    NDArray masked = logP.add(allowed.sub(1f).mul(1e4f));
    NDArray max = masked.max(new int[] {1}, true).stopGradient();
    NDArray logPa = masked.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1));
    // Pixels where every class is allowed carry nothing: multiplied by exactly 0.
    NDArray informative = allowed.sum(new int[] {1}).lt(classes).toType(DataType.FLOAT32, false);
    NDArray modulation = logPa.exp().neg().add(1f).clip(0f, 1f).pow(gamma);
    NDArray perPixel = modulation.mul(logPa).neg().mul(informative);
    return perPixel.sum().div(informative.sum().maximum(1f));
  }

  /** {@code 1 −} mean over classes with known pixels of the Dice counted on known pixels. */
  private NDArray dice(NDArray p, NDArray allowed) {
    NDArray single = allowed.sum(new int[] {1}, true).eq(1f).toType(DataType.FLOAT32, false);
    NDArray positive = allowed.mul(single); // allowed = {c}
    NDArray known = positive.add(allowed.neg().add(1f)); // known positive or known negative
    NDArray intersection = p.mul(positive).sum(PER_CLASS_AXES);
    NDArray sizes = p.mul(known).sum(PER_CLASS_AXES).add(positive.sum(PER_CLASS_AXES));
    NDArray dice = intersection.mul(2f).add(smooth).div(sizes.add(smooth));
    NDArray defined = known.sum(PER_CLASS_AXES).gt(0f).toType(DataType.FLOAT32, false);
    return dice.neg().add(1f).mul(defined).sum().div(defined.sum().maximum(1f));
  }
}
