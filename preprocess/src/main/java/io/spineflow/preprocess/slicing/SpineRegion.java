package io.spineflow.preprocess.slicing;

/**
 * Which slices of an unlabelled study contain the spine, without a label: those whose centre lies
 * within {@code halfWidthMm} of the middle of the sagittal field of view. Sagittal series are
 * planned on the spine, so the spine sits in the middle of the left-right extent; the lumbar
 * vertebral bodies are about 40-50 mm wide, the canal much narrower. Slices further out show
 * paraspinal muscle and would only cost inference time. The rule is in millimetres, so thick T1/T2
 * and thin T2 SPACE series keep the same anatomy.
 *
 * @param enabled false keeps every slice
 * @param halfWidthMm kept half-width around the centre of the sagittal extent, mm
 */
public record SpineRegion(boolean enabled, double halfWidthMm) {

  public static final String OUTSIDE_SPINE_REGION = "OUTSIDE_SPINE_REGION";

  public SpineRegion {
    if (!(halfWidthMm >= 0)) {
      throw new IllegalArgumentException("half-width must be >= 0 mm, got " + halfWidthMm);
    }
  }

  /** True when reoriented slice {@code slice} of {@code orientation} is kept. */
  public boolean contains(Reorientation orientation, int slice) {
    if (!enabled) {
      return true;
    }
    double offset = (slice - (orientation.slices() - 1) / 2.0) * orientation.sliceSpacing();
    // A hair of tolerance: a slice exactly on the boundary is kept whatever the rounding.
    return Math.abs(offset) <= halfWidthMm + 1e-9;
  }
}
