package io.spineflow.model.augment;

import io.spineflow.model.LabelledSlice;
import java.util.Random;

/**
 * A random transformation of a training slice, applied on the fly each time the slice is drawn.
 * Geometric transformations move the label (and its {@link
 * io.spineflow.imaging.labels.SliceLabelScope}) with the image; intensity transformations leave it
 * alone. Implementations never mirror a sagittal slice horizontally: that swaps anterior and
 * posterior.
 */
@FunctionalInterface
public interface SliceAugmentation {
  /** No augmentation. */
  SliceAugmentation NONE = (slice, random) -> slice;

  /**
   * A transformed copy of {@code slice} (or {@code slice} itself); never modifies its arrays.
   *
   * @param random the only source of randomness, so a seeded run is reproducible
   */
  LabelledSlice augment(LabelledSlice slice, Random random);
}
