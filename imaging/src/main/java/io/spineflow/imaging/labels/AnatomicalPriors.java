package io.spineflow.imaging.labels;

import io.spineflow.imaging.metrics.SpineClass;

/**
 * What anatomy says about the unlabelled pixels of a partially labelled sagittal slice, for
 * training only. A disc-only or bodies-only label carries no evidence against vertebra anywhere
 * (its 0s may be posterior elements), so a model trained on it learns to paint vertebra over the
 * abdomen and the back muscles of real scans. Some of those 0s are certain all the same:
 *
 * <ul>
 *   <li><b>In front of the column</b>: more than {@code anteriorMarginMm} anterior to the labelled
 *       bodies or discs (their edge interpolated over the rows between them) lie the great vessels
 *       and the bowel: background.
 *   <li><b>Behind the posterior elements</b>: more than {@code posteriorReachMm} behind the
 *       labelled structures' posterior edge (a lumbar spinous process ends some 55–65 mm behind the
 *       body): background.
 *   <li>Both only on rows the structures span (measured, or interpolated over a gap no taller than
 *       a disc or a body).
 *   <li><b>Between two labelled bodies</b>, within their anteroposterior extent: a disc (or
 *       background where it has collapsed), never vertebra or canal.
 *   <li><b>Between two labelled discs</b>, within their anteroposterior extent and one row away
 *       from each: the vertebral body.
 * </ul>
 *
 * The result is written into a copy of the label as {@link SliceLabelScope#restricted} values, so
 * that augmentation moves it with the label; pixels the label draws, pixels outside the extent and
 * slices with too little labelled structure are left as they were.
 */
public final class AnatomicalPriors {
  private static final int VERTEBRA = SpineClass.VERTEBRAE.id();
  private static final int DISC = SpineClass.DISCS.id();
  private static final byte BACKGROUND_ONLY = SliceLabelScope.restricted(1);
  private static final byte DISC_OR_BACKGROUND = SliceLabelScope.restricted(1 | 1 << DISC);
  private static final byte VERTEBRA_ONLY = SliceLabelScope.restricted(1 << VERTEBRA);

  /** The tallest disc a gap between two labelled bodies may be. */
  private static final double MAX_DISC_MM = 20;

  /** The tallest vertebral body a gap between two labelled discs may be. */
  private static final double MAX_BODY_MM = 45;

  private final double anteriorMarginMm;
  private final double posteriorReachMm;
  private final int minimumRows;

  /**
   * @param anteriorMarginMm background starts this far in front of the labelled structures
   * @param posteriorReachMm background starts this far behind their posterior edge
   * @param minimumRows rows the labelled structure must cross in a slice for any rule to apply (an
   *     edge of a lateral slice says little)
   */
  public AnatomicalPriors(double anteriorMarginMm, double posteriorReachMm, int minimumRows) {
    if (!(anteriorMarginMm >= 0 && posteriorReachMm > 0 && minimumRows >= 2)) {
      throw new IllegalArgumentException(
          "anatomical priors need margin >= 0, reach > 0 and at least 2 rows: "
              + anteriorMarginMm
              + ", "
              + posteriorReachMm
              + ", "
              + minimumRows);
    }
    this.anteriorMarginMm = anteriorMarginMm;
    this.posteriorReachMm = posteriorReachMm;
    this.minimumRows = minimumRows;
  }

  /** 4 mm in front, 75 mm behind, structures crossing at least 8 rows. */
  public static AnatomicalPriors defaults() {
    return new AnatomicalPriors(4, 75, 8);
  }

  /**
   * The label with the priors written in; {@code labels} itself when nothing applies (a complete
   * label, no reference structure, or too little of it).
   *
   * @param labels row-major classes 0..3 (row 0 superior, column 0 anterior, as preprocess orients)
   * @param pixelMm in-plane pixel size
   */
  public byte[] apply(byte[] labels, int width, int height, double pixelMm, SliceLabelScope scope) {
    if (scope.complete(height)) {
      return labels;
    }
    boolean bodies = scope.bodiesOnly() && !scope.completelyLabels(SpineClass.DISCS);
    boolean discs =
        scope.completelyLabels(SpineClass.DISCS) && !scope.completelyLabels(SpineClass.VERTEBRAE);
    if (!bodies && !discs || scope.completelyLabels(SpineClass.VERTEBRAE)) {
      return labels;
    }
    // A gap longer than the structure between two references can be means one is missing from
    // this slice (a lateral cut, a scoliotic column); nothing is said about its rows.
    int longestGap = (int) Math.floor((bodies ? MAX_DISC_MM : MAX_BODY_MM) / pixelMm);
    ColumnEdges edges =
        ColumnEdges.of(labels, width, height, bodies ? VERTEBRA : DISC, scope, longestGap);
    if (edges.measuredRows() < minimumRows) {
      return labels;
    }
    byte[] out = labels.clone();
    int margin = (int) Math.ceil(anteriorMarginMm / pixelMm);
    int reach = (int) Math.ceil(posteriorReachMm / pixelMm);
    for (int row = 0; row < height; row++) {
      if (!edges.known(row)) {
        continue;
      }
      double anterior = edges.anterior()[row];
      double posterior = edges.posterior()[row];
      int gap = edges.gap()[row];
      for (int col = 0; col < width; col++) {
        int i = row * width + col;
        if (out[i] != 0) {
          continue;
        }
        if (col < anterior - margin || col > posterior + reach) {
          out[i] = BACKGROUND_ONLY;
        } else if (bodies && gap > 0 && col > anterior && col < posterior) {
          out[i] = DISC_OR_BACKGROUND;
        } else if (discs && gap > 1 && col > anterior + 1 && col < posterior - 1) {
          out[i] = VERTEBRA_ONLY;
        }
      }
    }
    return out;
  }

  /**
   * Per row, the anterior and posterior edge of the reference structure: measured on rows it
   * crosses, interpolated over gaps between them no longer than the longest allowed; {@code gap} is
   * an interpolated row's distance to the nearer measured row (0 on measured rows).
   */
  private record ColumnEdges(double[] anterior, double[] posterior, int[] gap, int measuredRows) {

    static ColumnEdges of(
        byte[] labels, int width, int height, int reference, SliceLabelScope scope, int longest) {
      double[] anterior = new double[height];
      double[] posterior = new double[height];
      int measured = 0;
      for (int row = 0; row < height; row++) {
        anterior[row] = Double.NaN;
        posterior[row] = Double.NaN;
        if (!scope.inExtent(row)) {
          continue;
        }
        for (int col = 0; col < width; col++) {
          if (labels[row * width + col] == reference) {
            anterior[row] = Double.isNaN(anterior[row]) ? col : anterior[row];
            posterior[row] = col;
          }
        }
        measured += Double.isNaN(anterior[row]) ? 0 : 1;
      }
      int[] gap = new int[height];
      int previous = -1;
      for (int row = 0; row < height; row++) {
        if (Double.isNaN(anterior[row])) {
          continue;
        }
        if (previous >= 0 && row - previous > 1 && row - previous - 1 <= longest) {
          for (int r = previous + 1; r < row; r++) {
            double t = (r - previous) / (double) (row - previous);
            anterior[r] = anterior[previous] + t * (anterior[row] - anterior[previous]);
            posterior[r] = posterior[previous] + t * (posterior[row] - posterior[previous]);
            gap[r] = Math.min(r - previous, row - r);
          }
        }
        previous = row;
      }
      return new ColumnEdges(anterior, posterior, gap, measured);
    }

    /** True where the row's edges are known (measured or interpolated) and inside the extent. */
    boolean known(int row) {
      return !Double.isNaN(anterior[row]);
    }
  }
}
