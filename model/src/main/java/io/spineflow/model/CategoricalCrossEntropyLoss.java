package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Pixel-wise categorical cross-entropy from logits, averaged over pixels: {@code −log p_t}. Written
 * here (rather than DJL's {@code SoftmaxCrossEntropyLoss}) for the same label/logit layout as the
 * other segmentation losses.
 */
public final class CategoricalCrossEntropyLoss extends SegmentationLoss {

  /** Cross-entropy named {@code ce}. */
  public CategoricalCrossEntropyLoss() {
    super("ce");
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logits = logits(labels, predictions);
    int classes = Math.toIntExact(logits.getShape().get(1));
    NDArray truth = oneHot(labels.head(), classes);
    return logits.logSoftmax(1).mul(truth).sum(new int[] {1}).mean().neg();
  }
}
