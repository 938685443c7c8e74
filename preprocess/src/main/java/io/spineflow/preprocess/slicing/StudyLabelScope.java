package io.spineflow.preprocess.slicing;

import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.LabelExtent;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;

/**
 * Where a partially labelled study's label is known on the output slice grid: its declared classes
 * and, for a {@link LabelExtent#LABELLED_SPAN}, the rows between the most superior and the most
 * inferior labelled pixel of the <em>whole study</em> (one span for every slice: a slice that shows
 * no disc inside the span is a slice without discs, not an unlabelled one), grown by the declared
 * margin.
 */
public final class StudyLabelScope {
  private StudyLabelScope() {}

  /**
   * The scope every slice of the study shares.
   *
   * @param coverage the study's declaration; null for a complete label
   * @param classes the reoriented merged label volume
   * @param resampler the study's resampler onto the output grid
   * @return null when the label is complete (every class, every row)
   */
  public static SliceLabelScope of(
      LabelCoverage coverage, byte[] classes, InPlaneResampler resampler) {
    if (coverage == null || coverage.complete()) {
      return null;
    }
    SliceGrid grid = resampler.grid();
    if (coverage.extent() == LabelExtent.WHOLE_IMAGE) {
      return new SliceLabelScope(coverage.classes(), 0, grid.height() - 1);
    }
    boolean[] declared = declaredClassIds(coverage);
    int first = Integer.MAX_VALUE;
    int last = -1;
    // Over the resampled slices, so the span is in the rows the slices' labels are drawn on.
    for (int s = 0; s < resampler.orientation().slices(); s++) {
      byte[] label = resampler.nearest(classes, s);
      for (int y = 0; y < grid.height(); y++) {
        if (y >= first && y <= last) {
          continue; // inside the span found so far: cannot widen it
        }
        if (rowHasAny(label, y, grid.width(), declared)) {
          first = Math.min(first, y);
          last = Math.max(last, y);
        }
      }
    }
    if (last < 0) {
      return new SliceLabelScope(coverage.classes(), 0, -1); // nothing labelled: no row known
    }
    int grow = (int) Math.round(coverage.marginMm() / grid.pixelSpacing());
    return new SliceLabelScope(
        coverage.classes(), Math.max(0, first - grow), Math.min(grid.height() - 1, last + grow));
  }

  /**
   * The merged class ids ({@link LabelMerge}) of the declared structures; vertebral bodies count as
   * the vertebra class.
   */
  public static boolean[] declaredClassIds(LabelCoverage coverage) {
    boolean[] declared = new boolean[LabelMerge.CLASSES];
    for (LabelledStructure s : coverage.classes()) {
      declared[s.spineClass().id()] = true;
    }
    return declared;
  }

  private static boolean rowHasAny(byte[] label, int y, int width, boolean[] declared) {
    for (int i = y * width; i < (y + 1) * width; i++) {
      if (declared[label[i]]) {
        return true;
      }
    }
    return false;
  }
}
