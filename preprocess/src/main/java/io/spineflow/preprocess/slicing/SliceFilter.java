package io.spineflow.preprocess.slicing;

import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
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

  private static final boolean[] ALL_CLASSES = {true, true, true, true};

  /** Why the slice is dropped, or empty when it is kept. */
  public Optional<String> dropReason(ClassCounts counts) {
    return dropReason(counts, ALL_CLASSES);
  }

  /**
   * Why a slice of a partially labelled study is dropped: only the classes its label labels are
   * judged (background, i.e. 0 pixels, and the declared classes; vertebral bodies count as the
   * vertebra class), counted inside the labelled extent. A class the label does not draw cannot be
   * missing, and its pixels, being 0, count as background.
   *
   * @param scope the study's scope on the slice grid; null for a complete label
   */
  public Optional<String> dropReason(byte[] label, SliceGrid grid, SliceLabelScope scope) {
    if (scope == null) {
      return dropReason(ClassCounts.of(label, grid));
    }
    boolean[] judged = new boolean[LabelMerge.CLASSES];
    judged[LabelMerge.BACKGROUND] = true;
    for (LabelledStructure s : scope.classes()) {
      judged[s.spineClass().id()] = true;
    }
    return dropReason(ClassCounts.of(label, grid, scope.firstRow(), scope.lastRow()), judged);
  }

  private Optional<String> dropReason(ClassCounts counts, boolean[] judged) {
    if (requireAllClasses && !counts.hasClasses(judged)) {
      return Optional.of(MISSING_CLASS);
    }
    if (limitImbalance && counts.imbalanceRatio(judged) > maxImbalanceRatio) {
      return Optional.of(IMBALANCED);
    }
    return Optional.empty();
  }
}
