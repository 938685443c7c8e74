package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Tversky loss (Salehi et al. 2017): {@code 1 − mean_c (TP + ε) / (TP + α·FP + β·FN + ε)} with soft
 * counts from softmax probabilities. {@code α = β = 0.5} is the Dice loss; the default {@code α =
 * 0.3, β = 0.7} penalises missed pixels more than false alarms, which favours recall of thin
 * structures such as discs.
 */
public final class TverskyLoss extends SegmentationLoss {

  private final float alpha;
  private final float beta;
  private final float smooth;

  /** Tversky loss with {@code α = 0.3, β = 0.7, ε = 1}. */
  public TverskyLoss() {
    this(0.3f, 0.7f, 1f);
  }

  /**
   * @param alpha weight of false positives, {@code >= 0}
   * @param beta weight of false negatives, {@code >= 0}
   * @param smooth smoothing term, {@code > 0}
   */
  public TverskyLoss(float alpha, float beta, float smooth) {
    super("tversky");
    if (!(alpha >= 0f && beta >= 0f && smooth > 0f)) {
      throw new IllegalArgumentException(
          "need alpha, beta >= 0 and smooth > 0: " + alpha + ", " + beta + ", " + smooth);
    }
    this.alpha = alpha;
    this.beta = beta;
    this.smooth = smooth;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logits = logits(labels, predictions);
    int classes = Math.toIntExact(logits.getShape().get(1));
    NDArray p = logits.softmax(1);
    NDArray y = oneHot(labels.head(), classes);
    NDArray tp = p.mul(y).sum(PER_CLASS_AXES);
    NDArray fp = p.sum(PER_CLASS_AXES).sub(tp);
    NDArray fn = y.sum(PER_CLASS_AXES).sub(tp);
    NDArray index = tp.add(smooth).div(tp.add(fp.mul(alpha)).add(fn.mul(beta)).add(smooth));
    return index.mean().neg().add(1f);
  }
}
