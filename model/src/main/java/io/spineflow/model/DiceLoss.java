package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Soft multi-class Dice loss: {@code 1 − mean_c (2 Σ p·y + ε) / (Σ p + Σ y + ε)}, sums over the
 * whole batch and image per class, mean over all classes (background included, as in Ahmed et al.'s
 * formula), with softmax probabilities {@code p} and one-hot labels {@code y}.
 *
 * <p>The smoothing {@code ε} (default 1) keeps a class that is absent from both prediction and
 * label at Dice 1 instead of 0/0, and keeps the gradient finite.
 */
public final class DiceLoss extends SegmentationLoss {

  private final float smooth;

  /** Dice loss with {@code ε = 1}. */
  public DiceLoss() {
    this(1f);
  }

  /**
   * @param smooth the smoothing term {@code ε > 0}
   */
  public DiceLoss(float smooth) {
    super("dice");
    if (!(smooth > 0f)) {
      throw new IllegalArgumentException("smooth must be > 0: " + smooth);
    }
    this.smooth = smooth;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logits = logits(labels, predictions);
    int classes = Math.toIntExact(logits.getShape().get(1));
    NDArray p = logits.softmax(1);
    NDArray y = oneHot(labels.head(), classes);
    NDArray intersection = p.mul(y).sum(PER_CLASS_AXES);
    NDArray sizes = p.sum(PER_CLASS_AXES).add(y.sum(PER_CLASS_AXES));
    NDArray dice = intersection.mul(2f).add(smooth).div(sizes.add(smooth));
    return dice.mean().neg().add(1f);
  }
}
