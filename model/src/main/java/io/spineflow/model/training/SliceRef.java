package io.spineflow.model.training;

import java.util.Objects;

/**
 * Where a training or validation slice came from, and what its pixels measure.
 *
 * @param studyUid the study (the unit of the train/validation split)
 * @param sliceIndex the slice's index in the study (the key's second part on {@code slices})
 * @param sequence MR sequence name ({@code T1}, {@code T2}, {@code T2_SPACE}, {@code UNKNOWN})
 * @param columnSpacingMm mm between horizontally adjacent pixels, for surface metrics
 * @param rowSpacingMm mm between vertically adjacent pixels
 */
public record SliceRef(
    String studyUid, int sliceIndex, String sequence, double columnSpacingMm, double rowSpacingMm) {

  /** Checks the fields; spacings must be positive and finite. */
  public SliceRef {
    Objects.requireNonNull(studyUid, "studyUid");
    Objects.requireNonNull(sequence, "sequence");
    if (!(columnSpacingMm > 0 && rowSpacingMm > 0)
        || !Double.isFinite(columnSpacingMm)
        || !Double.isFinite(rowSpacingMm)) {
      throw new IllegalArgumentException(
          "pixel spacing must be positive: " + columnSpacingMm + " x " + rowSpacingMm);
    }
  }

  /** {@code studyUid/sliceIndex}, the slice's key on {@code slices}. */
  public String key() {
    return studyUid + "/" + sliceIndex;
  }
}
