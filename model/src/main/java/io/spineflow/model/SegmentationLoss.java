package io.spineflow.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;

/**
 * Base of the segmentation losses: predictions are class <em>logits</em> {@code [N, C, H, W]} (the
 * first array of the prediction list; the network applies no softmax), labels are class indices
 * {@code [N, H, W]} of any integer type (the first array of the label list). Each loss returns a
 * scalar.
 */
public abstract class SegmentationLoss extends Loss {

  /**
   * @param name the loss's name, as DJL's evaluators and training logs show it
   */
  protected SegmentationLoss(String name) {
    super(name);
  }

  /** The logits, checked to be {@code [N, C, H, W]} and to match the labels' {@code [N, H, W]}. */
  protected static NDArray logits(NDList labels, NDList predictions) {
    NDArray logits = predictions.head();
    Shape p = logits.getShape();
    Shape l = labels.head().getShape();
    if (p.dimension() != 4
        || l.dimension() != 3
        || p.get(0) != l.get(0)
        || p.get(2) != l.get(1)
        || p.get(3) != l.get(2)) {
      throw new IllegalArgumentException(
          "expected logits [N, C, H, W] and labels [N, H, W], got " + p + " and " + l);
    }
    return logits;
  }

  /**
   * One-hot encoding of {@code labels} {@code [N, H, W]} as float {@code [N, classes, H, W]}.
   * Labels outside {@code 0..classes-1} become all-zero rows (callers validate labels earlier).
   */
  public static NDArray oneHot(NDArray labels, int classes) {
    NDArray ids =
        labels.getManager().arange(0, classes, 1, DataType.INT32).reshape(1, classes, 1, 1);
    return labels
        .toType(DataType.INT32, false)
        .expandDims(1)
        .eq(ids)
        .toType(DataType.FLOAT32, false);
  }

  /** The axes summed over for per-class totals: batch and both spatial axes. */
  protected static final int[] PER_CLASS_AXES = {0, 2, 3};
}
