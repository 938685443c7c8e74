package io.spineflow.model;

import ai.djl.training.loss.Loss;

/**
 * Marks a loss that reads its labels as <em>allowed-class bit sets</em> {@code [N, H, W]} (bit
 * {@code c} set: the pixel may be class {@code c}, see {@link
 * io.spineflow.imaging.labels.SliceLabelScope#allowedClasses(int, int)}) instead of class indices,
 * so it can train on partial labels: a pixel whose class is unknown puts no gradient on any class.
 * {@link SegmentationTrainer} builds that label tensor for such a loss and refuses a partially
 * labelled batch for any other loss.
 */
public interface PartialLabelLoss {

  /**
   * Whether {@code loss} reads allowed-class bit sets: it implements this interface, or wraps one
   * that does in an {@link AuxiliaryOutputLoss}.
   */
  static boolean accepts(Loss loss) {
    return loss instanceof PartialLabelLoss
        || (loss instanceof AuxiliaryOutputLoss a && a.loss() instanceof PartialLabelLoss);
  }
}
