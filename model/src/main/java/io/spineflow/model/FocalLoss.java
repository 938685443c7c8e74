package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Multi-class focal loss (Lin et al. 2017), averaged over pixels: {@code −α_t (1 − p_t)^γ log p_t}
 * where {@code p_t} is the softmax probability of the true class. {@code γ = 0} with unit weights
 * is cross-entropy; larger {@code γ} down-weights pixels that are already right.
 *
 * <p>Default {@code γ = 4.0}: Ahmed et al. state "a gamma (γ=4.0) value of 4.0" for the focal part
 * of their combined loss (a later sentence giving "Alpha and Gamma … 0.6 and 0.4" mixes up γ with
 * the Dice weight {@code 1 − α = 0.4}). {@code α_t} are optional per-class weights; by default all
 * 1, since the combined loss's Dice term already balances the classes.
 */
public final class FocalLoss extends SegmentationLoss {

  /** The focusing parameter Ahmed et al. use. */
  public static final float PAPER_GAMMA = 4.0f;

  private final float gamma;
  private final float[] classWeights;

  /** Focal loss with the paper's {@code γ = 4} and unit class weights. */
  public FocalLoss() {
    this(PAPER_GAMMA, null);
  }

  /**
   * @param gamma focusing parameter, {@code >= 0}
   * @param classWeights one weight per class ({@code α_t}), or {@code null} for all 1
   */
  public FocalLoss(float gamma, float[] classWeights) {
    super("focal");
    if (!(gamma >= 0f)) {
      throw new IllegalArgumentException("gamma must be >= 0: " + gamma);
    }
    this.gamma = gamma;
    this.classWeights = classWeights == null ? null : classWeights.clone();
  }

  /** The focusing parameter. */
  public float gamma() {
    return gamma;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logits = logits(labels, predictions);
    int classes = Math.toIntExact(logits.getShape().get(1));
    NDArray truth = oneHot(labels.head(), classes);
    // log p_t from a log-softmax: stable for confident logits, unlike log(softmax).
    NDArray logPt = logits.logSoftmax(1).mul(truth).sum(new int[] {1});
    NDArray modulation = logPt.exp().neg().add(1f).clip(0f, 1f).pow(gamma);
    NDArray perPixel = modulation.mul(logPt).neg();
    if (classWeights != null) {
      if (classWeights.length != classes) {
        throw new IllegalArgumentException(
            classWeights.length + " class weights for " + classes + " classes");
      }
      NDArray alpha = logits.getManager().create(classWeights).reshape(1, classes, 1, 1);
      perPixel = perPixel.mul(truth.mul(alpha).sum(new int[] {1}));
    }
    return perPixel.mean();
  }
}
