package io.spineflow.imaging.metrics;

import io.spineflow.imaging.labels.SliceLabelScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Per-class quality of one predicted 2D slice against its label: Dice, IoU, precision, recall, F1
 * (Ahmed et al. 2025, eqs. for each class c), average symmetric surface distance, normalised
 * surface Dice and the 95th-percentile Hausdorff distance in millimetres. See {@link ClassMetrics}
 * for the exact definitions and what NaN means.
 *
 * <p><b>Boundaries.</b> A pixel is on the boundary of its class when one of its 4-neighbours holds
 * another class or it lies on the image edge: the outside of the image counts as another class, as
 * with MONAI's erosion-based edges and {@code surface-distance}'s zero padding, so a structure cut
 * by the field of view has a closed contour (shared by label and prediction when both reach the
 * edge). Distances run between pixel centres, scaled by the {@link PixelSpacing}.
 *
 * <p><b>Cost.</b> One pass for the confusion counts and the boundaries of all classes. Then, per
 * class and direction, the distance from each boundary pixel to the other boundary: first by an
 * exact local search (rings of up to {@value #SEARCH_RADIUS} pixels around it, stopped as soon as
 * no pixel outside the searched rings can be nearer), which settles nearly every pixel of a
 * reasonable prediction; the few left over by brute force over the other boundary; and when too
 * many are left (a class far off), by an exact Euclidean distance transform ({@link
 * DistanceTransform}, Felzenszwalb–Huttenlocher with anisotropic weights) restricted to the
 * bounding box of the two boundaries (every site lies inside it, so distances inside it are exact).
 * All three give the same exact distances; a 128×128 slice takes well under a millisecond.
 *
 * <p>Immutable and thread-safe: scratch space is per call.
 */
public final class SegmentationMetrics {
  /**
   * The default NSD tolerance τ: 2 mm, fixed in millimetres rather than pixels so that NSD means
   * the same for every model profile. At 128×128 over a ~300 mm field of view a pixel is ≈2.3 mm,
   * so this counts only boundary pixels that coincide; pass a τ of 2.5 mm or more to forgive
   * one-pixel offsets there.
   */
  public static final double DEFAULT_NSD_TOLERANCE_MM = 2.0;

  // A distance equal to τ up to floating-point rounding (e.g. 3 × 0.4 mm) counts as within τ.
  private static final double TOLERANCE_SLACK = 1e-9;

  /** Largest ring (Chebyshev radius, pixels) of the local nearest-boundary search. */
  static final int SEARCH_RADIUS = 3;

  // Leftover pixels are compared with every other-boundary pixel while that costs fewer pair
  // checks than this many per pixel of the distance transform's box would.
  private static final int BRUTE_FORCE_PAIRS_PER_BOX_PIXEL = 4;

  /** How boundary distances are found; every strategy gives the same exact distances. */
  enum Strategy {
    /** Local search, brute force for leftovers, the distance transform when many are left. */
    HYBRID,
    /** The distance transform for every class and direction (for tests). */
    TRANSFORM_ONLY
  }

  private final double nsdToleranceMm;
  private final Strategy strategy;

  /**
   * @param nsdToleranceMm τ for the normalised surface Dice, in mm, ≥ 0
   */
  public SegmentationMetrics(double nsdToleranceMm) {
    this(nsdToleranceMm, Strategy.HYBRID);
  }

  SegmentationMetrics(double nsdToleranceMm, Strategy strategy) {
    if (!(nsdToleranceMm >= 0 && Double.isFinite(nsdToleranceMm))) {
      throw new IllegalArgumentException(
          "nsdToleranceMm must be finite and >= 0: " + nsdToleranceMm);
    }
    this.nsdToleranceMm = nsdToleranceMm;
    this.strategy = Objects.requireNonNull(strategy, "strategy");
  }

  /** Metrics with τ = {@value #DEFAULT_NSD_TOLERANCE_MM} mm. */
  public static SegmentationMetrics withDefaultTolerance() {
    return new SegmentationMetrics(DEFAULT_NSD_TOLERANCE_MM);
  }

  /** τ for the normalised surface Dice, in mm. */
  public double nsdToleranceMm() {
    return nsdToleranceMm;
  }

  /**
   * The metrics of every foreground class (vertebrae, spinal canal, discs), and of the background
   * first if asked, in class order.
   *
   * @param predicted predicted class per pixel, row-major, values 0..3
   * @param label label class per pixel, same layout
   * @param width columns
   * @param height rows
   * @param spacing pixel spacing in mm
   * @param includeBackground also score class 0 (Ahmed et al.'s Table 2 does)
   * @throws IllegalArgumentException on a size mismatch or a pixel value outside 0..3
   */
  public List<ClassMetrics> evaluate(
      byte[] predicted,
      byte[] label,
      int width,
      int height,
      PixelSpacing spacing,
      boolean includeBackground) {
    Slice slice = Slice.of(predicted, label, width, height, spacing);
    Workspace workspace = new Workspace(slice, strategy);
    List<ClassMetrics> result = new ArrayList<>(SpineClass.COUNT);
    for (int c = includeBackground ? 0 : 1; c < SpineClass.COUNT; c++) {
      result.add(evaluate(slice, c, workspace));
    }
    return List.copyOf(result);
  }

  /**
   * The metrics against a partial label: only the classes {@code scope} labels completely, counted
   * on the rows inside its extent, and the body coverage when vertebrae are labelled as bodies only
   * (see {@link ScopedMetrics}). With {@link SliceLabelScope#COMPLETE} this is {@link
   * #evaluate(byte[], byte[], int, int, PixelSpacing, boolean)} without the background.
   */
  public ScopedMetrics evaluate(
      byte[] predicted,
      byte[] label,
      int width,
      int height,
      PixelSpacing spacing,
      SliceLabelScope scope) {
    int first = Math.max(0, scope.firstRow());
    int last = Math.min(height - 1, scope.lastRow());
    if (last < first) {
      return new ScopedMetrics(List.of(), Optional.empty());
    }
    byte[] p = rows(predicted, width, first, last);
    byte[] g = rows(label, width, first, last);
    int rows = last - first + 1;
    List<ClassMetrics> scored = new ArrayList<>();
    for (ClassMetrics m : evaluate(p, g, width, rows, spacing, false)) {
      if (scope.completelyLabels(m.spineClass())) {
        scored.add(m);
      }
    }
    Optional<BodyCoverage> bodies =
        scope.bodiesOnly() ? Optional.of(bodyCoverage(p, g)) : Optional.empty();
    return new ScopedMetrics(scored, bodies);
  }

  private static byte[] rows(byte[] pixels, int width, int first, int last) {
    return Arrays.copyOfRange(pixels, first * width, (last + 1) * width);
  }

  private static BodyCoverage bodyCoverage(byte[] predicted, byte[] label) {
    int vertebra = SpineClass.VERTEBRAE.id();
    long body = 0;
    long painted = 0;
    long covered = 0;
    for (int i = 0; i < label.length; i++) {
      boolean isBody = label[i] == vertebra;
      boolean isPainted = predicted[i] == vertebra;
      body += isBody ? 1 : 0;
      painted += isPainted ? 1 : 0;
      covered += isBody && isPainted ? 1 : 0;
    }
    return new BodyCoverage(body, painted, covered);
  }

  /**
   * The metrics of one class.
   *
   * @param classId 0..3
   * @see #evaluate(byte[], byte[], int, int, PixelSpacing, boolean)
   */
  public ClassMetrics evaluateClass(
      byte[] predicted, byte[] label, int width, int height, PixelSpacing spacing, int classId) {
    SpineClass.of(classId);
    Slice slice = Slice.of(predicted, label, width, height, spacing);
    return evaluate(slice, classId, new Workspace(slice, strategy));
  }

  /**
   * The mean IoU over the given classes, skipping undefined ones (Silveira et al.'s mIoU when all
   * four classes, background included, are given); empty when none is defined.
   */
  public static OptionalDouble meanIou(Collection<ClassMetrics> classes) {
    return classes.stream().mapToDouble(ClassMetrics::iou).filter(v -> !Double.isNaN(v)).average();
  }

  private ClassMetrics evaluate(Slice slice, int c, Workspace workspace) {
    long g = slice.labelCounts[c];
    long p = slice.predictedCounts[c];
    long tp = slice.truePositives[c];
    if (g == 0 && p == 0) {
      double nan = Double.NaN;
      return new ClassMetrics(c, 0, 0, 0, nan, nan, nan, nan, nan, nan, nan, nan, nsdToleranceMm);
    }
    double dice = 2.0 * tp / (g + p);
    double iou = (double) tp / (g + p - tp);
    double precision = p == 0 ? 0 : (double) tp / p;
    double recall = g == 0 ? 0 : (double) tp / g;
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    if (g == 0 || p == 0) {
      return new ClassMetrics(
          c, g, p, tp, dice, iou, precision, recall, f1, Double.NaN, 0, Double.NaN, nsdToleranceMm);
    }
    SurfaceDistances surfaces = workspace.surfaceDistances(c);
    return new ClassMetrics(
        c,
        g,
        p,
        tp,
        dice,
        iou,
        precision,
        recall,
        f1,
        surfaces.average(),
        surfaces.fractionWithin(nsdToleranceMm * (1 + TOLERANCE_SLACK)),
        surfaces.hausdorff95(),
        nsdToleranceMm);
  }

  /** The confusion counts and the boundary pixels of every class, from one pass over each mask. */
  private static final class Slice {
    final byte[] predicted;
    final byte[] label;
    final int width;
    final int height;
    final PixelSpacing spacing;
    final long[] predictedCounts = new long[SpineClass.COUNT];
    final long[] labelCounts = new long[SpineClass.COUNT];
    final long[] truePositives = new long[SpineClass.COUNT];
    final Boundaries predictedBoundaries;
    final Boundaries labelBoundaries;

    private Slice(byte[] predicted, byte[] label, int width, int height, PixelSpacing spacing) {
      this.predicted = predicted;
      this.label = label;
      this.width = width;
      this.height = height;
      this.spacing = spacing;
      for (int i = 0; i < predicted.length; i++) {
        int p = predicted[i];
        int g = label[i];
        if (((p | g) & ~3) != 0) { // also catches negative bytes (values 128-255)
          throw new IllegalArgumentException(
              "pixel " + i + ": class values must be 0..3, got predicted " + p + ", label " + g);
        }
        predictedCounts[p]++;
        labelCounts[g]++;
        if (p == g) {
          truePositives[p]++;
        }
      }
      predictedBoundaries = Boundaries.of(predicted, width, height);
      labelBoundaries = Boundaries.of(label, width, height);
    }

    static Slice of(byte[] predicted, byte[] label, int width, int height, PixelSpacing spacing) {
      Objects.requireNonNull(predicted, "predicted");
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(spacing, "spacing");
      requireSize(width, height, predicted.length, "predicted");
      requireSize(width, height, label.length, "label");
      return new Slice(predicted, label, width, height, spacing);
    }
  }

  static void requireSize(int width, int height, int length, String what) {
    if (width <= 0 || height <= 0 || (long) width * height != length) {
      throw new IllegalArgumentException(
          what + " has " + length + " values, expected width × height = " + width + " × " + height);
    }
  }

  /**
   * The boundary of every class of one mask: pixels with a 4-neighbour of another class or on the
   * image edge.
   *
   * @param byClass the boundary pixel indices of each class, ascending
   * @param flags 1 where a pixel is on the boundary of its own class, else 0
   */
  record Boundaries(int[][] byClass, byte[] flags) {

    static Boundaries of(byte[] mask, int width, int height) {
      byte[] flags = new byte[mask.length];
      int[] counts = new int[SpineClass.COUNT];
      for (int y = 0; y < height; y++) {
        int row = y * width;
        if (y == 0 || y == height - 1 || width <= 2) {
          for (int i = row; i < row + width; i++) { // edge rows: every pixel is on the boundary
            flags[i] = 1;
            counts[mask[i]]++;
          }
          continue;
        }
        flags[row] = 1; // first and last column
        counts[mask[row]]++;
        flags[row + width - 1] = 1;
        counts[mask[row + width - 1]]++;
        for (int i = row + 1; i < row + width - 1; i++) {
          byte c = mask[i];
          // Non-short-circuit ORs: one branch instead of four poorly predicted ones.
          if ((mask[i - 1] != c)
              | (mask[i + 1] != c)
              | (mask[i - width] != c)
              | (mask[i + width] != c)) {
            flags[i] = 1;
            counts[c]++;
          }
        }
      }
      int[][] byClass = new int[SpineClass.COUNT][];
      for (int c = 0; c < SpineClass.COUNT; c++) {
        byClass[c] = new int[counts[c]];
        counts[c] = 0;
      }
      for (int i = 0; i < mask.length; i++) {
        if (flags[i] != 0) {
          int c = mask[i];
          byClass[c][counts[c]++] = i;
        }
      }
      return new Boundaries(byClass, flags);
    }
  }

  /** Scratch space reused across the classes of one call. */
  private static final class Workspace {
    private final Slice slice;
    private final Strategy strategy;
    private final double columnMm;
    private final double rowMm;
    private final DistanceTransform transform = new DistanceTransform();
    private double[] grid = new double[0];
    private int[] pending = new int[0];

    Workspace(Slice slice, Strategy strategy) {
      this.slice = slice;
      this.strategy = strategy;
      this.columnMm = slice.spacing.columnMm();
      this.rowMm = slice.spacing.rowMm();
    }

    /**
     * The distances from each predicted boundary pixel of class {@code c} to the label's boundary
     * of {@code c}, and back. Both boundaries are non-empty.
     */
    SurfaceDistances surfaceDistances(int c) {
      int[] predicted = slice.predictedBoundaries.byClass()[c];
      int[] label = slice.labelBoundaries.byClass()[c];
      Box box = Box.around(predicted, label, slice.width);
      return new SurfaceDistances(
          distances(predicted, label, slice.label, slice.labelBoundaries.flags(), c, box),
          distances(label, predicted, slice.predicted, slice.predictedBoundaries.flags(), c, box));
    }

    /** The distance from each query pixel to the nearest site (boundary pixel of c in siteMask). */
    private double[] distances(
        int[] queries, int[] sites, byte[] siteMask, byte[] siteFlags, int c, Box box) {
      double[] distances = new double[queries.length];
      if (strategy == Strategy.TRANSFORM_ONLY) {
        transformTo(sites, queries, box, distances, null, queries.length);
        return distances;
      }
      if (pending.length < queries.length) {
        pending = new int[queries.length];
      }
      int left = 0;
      for (int k = 0; k < queries.length; k++) {
        double d = ringSearch(queries[k], siteMask, siteFlags, (byte) c);
        if (Double.isNaN(d)) {
          pending[left++] = k;
        } else {
          distances[k] = d;
        }
      }
      if (left == 0) {
        return distances;
      }
      long pairs = (long) left * sites.length;
      if (pairs <= (long) BRUTE_FORCE_PAIRS_PER_BOX_PIXEL * box.width() * box.height()) {
        for (int n = 0; n < left; n++) {
          distances[pending[n]] = bruteForce(queries[pending[n]], sites);
        }
      } else {
        transformTo(sites, queries, box, distances, pending, left);
      }
      return distances;
    }

    /**
     * The exact distance to the nearest site within {@link #SEARCH_RADIUS} rings, or NaN when the
     * rings cannot prove it nearest. After ring r every pixel not yet seen is at least (r + 1)
     * steps away along x or y, so at least (r + 1) · min(spacing) mm: a site found no further than
     * that is the nearest.
     */
    private double ringSearch(int query, byte[] siteMask, byte[] siteFlags, byte c) {
      int width = slice.width;
      int height = slice.height;
      int x = query % width;
      int y = query / width;
      double minStep = Math.min(columnMm, rowMm);
      double best = Double.POSITIVE_INFINITY;
      for (int r = 0; r <= SEARCH_RADIUS; r++) {
        for (int dy = -r; dy <= r; dy++) {
          int ny = y + dy;
          if (ny < 0 || ny >= height) {
            continue;
          }
          boolean fullRow = dy == -r || dy == r; // ring r: full top and bottom rows, else 2 ends
          int step = fullRow ? 1 : Math.max(1, 2 * r);
          for (int dx = -r; dx <= r; dx += step) {
            int nx = x + dx;
            int j = ny * width + nx;
            if (nx >= 0 && nx < width && siteMask[j] == c && siteFlags[j] != 0) {
              double ex = dx * columnMm;
              double ey = dy * rowMm;
              best = Math.min(best, ex * ex + ey * ey);
            }
          }
        }
        double proven = (r + 1) * minStep;
        if (best <= proven * proven) {
          return Math.sqrt(best);
        }
      }
      return Double.NaN;
    }

    private double bruteForce(int query, int[] sites) {
      int width = slice.width;
      int x = query % width;
      int y = query / width;
      double best = Double.POSITIVE_INFINITY;
      for (int site : sites) {
        double ex = (site % width - x) * columnMm;
        double ey = (site / width - y) * rowMm;
        best = Math.min(best, ex * ex + ey * ey);
      }
      return Math.sqrt(best);
    }

    /**
     * Fills {@code distances[k]} for the query indices {@code k} in {@code which[0 .. count)} (all
     * queries when {@code which} is null) from the distance transform of the sites over the box.
     */
    private void transformTo(
        int[] sites, int[] queries, Box box, double[] distances, int[] which, int count) {
      int size = box.width() * box.height();
      if (grid.length < size) {
        grid = new double[size];
      }
      Arrays.fill(grid, 0, size, Double.POSITIVE_INFINITY);
      for (int i : sites) {
        grid[box.local(i)] = 0;
      }
      transform.squaredDistances(grid, box.width(), box.height(), slice.spacing);
      for (int n = 0; n < count; n++) {
        int k = which == null ? n : which[n];
        distances[k] = Math.sqrt(grid[box.local(queries[k])]);
      }
    }
  }

  /** A crop of the slice; {@link #local} maps a slice pixel index into it. */
  private record Box(int x0, int y0, int width, int height, int sliceWidth) {

    /** The bounding box of both pixel lists. */
    static Box around(int[] a, int[] b, int sliceWidth) {
      int minX = Integer.MAX_VALUE;
      int minY = Integer.MAX_VALUE;
      int maxX = Integer.MIN_VALUE;
      int maxY = Integer.MIN_VALUE;
      for (int[] pixels : new int[][] {a, b}) {
        for (int i : pixels) {
          int x = i % sliceWidth;
          int y = i / sliceWidth;
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
      return new Box(minX, minY, maxX - minX + 1, maxY - minY + 1, sliceWidth);
    }

    int local(int sliceIndex) {
      return (sliceIndex / sliceWidth - y0) * width + (sliceIndex % sliceWidth - x0);
    }
  }

  /**
   * Directed boundary distances in mm: prediction→label and label→prediction. {@link
   * #hausdorff95()} sorts the arrays in place.
   */
  record SurfaceDistances(double[] predictedToLabel, double[] labelToPredicted) {

    /** Mean over both boundaries together (ASSD). */
    double average() {
      double sum = 0;
      for (double d : predictedToLabel) {
        sum += d;
      }
      for (double d : labelToPredicted) {
        sum += d;
      }
      return sum / (predictedToLabel.length + labelToPredicted.length);
    }

    /** Fraction of both boundaries within {@code tolerance} of the other (surface Dice). */
    double fractionWithin(double tolerance) {
      long within = 0;
      for (double d : predictedToLabel) {
        within += d <= tolerance ? 1 : 0;
      }
      for (double d : labelToPredicted) {
        within += d <= tolerance ? 1 : 0;
      }
      return (double) within / (predictedToLabel.length + labelToPredicted.length);
    }

    /** The larger of the two directed 95th percentiles. */
    double hausdorff95() {
      return Math.max(percentile(predictedToLabel, 95), percentile(labelToPredicted, 95));
    }
  }

  /**
   * The {@code q}-th percentile with linear interpolation between order statistics (numpy's
   * default): position {@code q/100 · (n − 1)} in the sorted values. Sorts {@code values} in place.
   */
  static double percentile(double[] values, double q) {
    Arrays.sort(values);
    double position = q / 100 * (values.length - 1);
    int lower = (int) Math.floor(position);
    int upper = Math.min(lower + 1, values.length - 1);
    double fraction = position - lower;
    return values[lower] + fraction * (values[upper] - values[lower]);
  }
}
