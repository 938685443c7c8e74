package io.spineflow.cli.studies;

import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.LabelExtent;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import java.util.List;

/**
 * The rows of a study's slices inside its labelled extent, one pure function of the study's merged
 * labels. Kept on its own so that it can give way to the per-slice scope preprocess computes.
 */
public final class LabelledSpan {
  private LabelledSpan() {}

  /**
   * The scope of every slice of a study: for {@link LabelExtent#WHOLE_IMAGE} every row; for {@link
   * LabelExtent#LABELLED_SPAN} the rows from the most superior to the most inferior pixel of a
   * declared class over <em>all</em> the study's slices, grown by the margin (rounded up to whole
   * rows) and clipped to the slice. A study with no labelled pixel has an empty extent ({@code
   * lastRow < firstRow}): nothing in it is known.
   *
   * @param coverage what the mask labels
   * @param labels every slice's merged label (row-major, classes 0..3), on one grid
   * @param width columns of that grid
   * @param height rows of that grid
   * @param pixelSpacingMm mm per row, to turn the margin into rows
   */
  public static SliceLabelScope scope(
      LabelCoverage coverage, List<byte[]> labels, int width, int height, double pixelSpacingMm) {
    if (coverage.extent() == LabelExtent.WHOLE_IMAGE) {
      return SliceLabelScope.wholeImage(coverage);
    }
    boolean[] declared = new boolean[256];
    for (LabelledStructure s : coverage.classes()) {
      declared[s.spineClass().id()] = true;
    }
    int first = Integer.MAX_VALUE;
    int last = -1;
    for (byte[] label : labels) {
      for (int i = 0; i < label.length; i++) {
        if (declared[label[i] & 0xFF]) {
          first = Math.min(first, i / width);
          last = Math.max(last, i / width);
        }
      }
    }
    if (last < 0) {
      return new SliceLabelScope(coverage.classes(), 0, -1);
    }
    int margin = (int) Math.ceil(coverage.marginMm() / pixelSpacingMm - 1e-9);
    return new SliceLabelScope(
        coverage.classes(), Math.max(0, first - margin), Math.min(height - 1, last + margin));
  }
}
