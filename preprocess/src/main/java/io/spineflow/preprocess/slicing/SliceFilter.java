package io.spineflow.preprocess.slicing;

import java.util.Optional;

/**
 * Which labelled slices are kept for training, after Ahmed et al. (2025), section 3.2.2 "Data
 * Filtration": "masks images that contained less than 4 classes [...] were filtered out", and
 * "images with a class weight ratio above [the threshold] were considered over-represented and were
 * subsequently removed", with "Class Imbalance Ratio = Highest Class Weight / Lowest Class Weight"
 * and "Class Weight = Number of Pixels of a Specific Class / Total Number of Pixels in the Image".
 * The checks run in that order; a slice is dropped for the first one it fails.
 *
 * @param requireAllClasses drop slices lacking any of the four classes ({@value #MISSING_CLASS})
 * @param limitImbalance drop slices whose {@link ClassCounts#imbalanceRatio()} exceeds {@code
 *     maxImbalanceRatio} ({@value #IMBALANCED}); a missing class makes the ratio infinite
 * @param maxImbalanceRatio the largest kept ratio (largest class pixels ÷ smallest class pixels)
 */
public record SliceFilter(
    boolean requireAllClasses, boolean limitImbalance, double maxImbalanceRatio) {

  public static final String MISSING_CLASS = "MISSING_CLASS";
  public static final String IMBALANCED = "IMBALANCED";

  public SliceFilter {
    if (!(maxImbalanceRatio >= 1)) {
      throw new IllegalArgumentException(
          "the imbalance ratio is >= 1 by construction; a limit of "
              + maxImbalanceRatio
              + " would drop every slice");
    }
  }

  /** Why the slice is dropped, or empty when it is kept. */
  public Optional<String> dropReason(ClassCounts counts) {
    if (requireAllClasses && !counts.hasAllClasses()) {
      return Optional.of(MISSING_CLASS);
    }
    if (limitImbalance && counts.imbalanceRatio() > maxImbalanceRatio) {
      return Optional.of(IMBALANCED);
    }
    return Optional.empty();
  }
}
