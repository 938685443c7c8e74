package io.spineflow.preprocess.slicing;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import java.nio.ByteBuffer;

/**
 * Robust per-study intensity normalisation: the study's intensities at the lower and upper
 * percentiles (default 0.5 % and 99.5 %) become 0 and 1, values outside are clipped. MR intensities
 * have no absolute scale and a few hot voxels (fat, flow artefacts) would otherwise compress the
 * anatomy into a narrow band; percentiles of the whole study keep every slice of it on one scale.
 *
 * <p>Percentiles are nearest-rank over all voxels, from a histogram (one pass, no sort): exact for
 * 8- and 16-bit integer images (SPIDER's), and for other types within 1/65536 of the intensity
 * range.
 */
public final class IntensityNormaliser {
  private static final int WIDE_BINS = 1 << 16;

  private final double lowerPercentile;
  private final double upperPercentile;

  /**
   * @param lowerPercentile in [0, 100), e.g. 0.5
   * @param upperPercentile in (lowerPercentile, 100], e.g. 99.5
   */
  public IntensityNormaliser(double lowerPercentile, double upperPercentile) {
    if (!(lowerPercentile >= 0 && lowerPercentile < upperPercentile && upperPercentile <= 100)) {
      throw new IllegalArgumentException(
          "need 0 <= lower < upper <= 100, got " + lowerPercentile + ", " + upperPercentile);
    }
    this.lowerPercentile = lowerPercentile;
    this.upperPercentile = upperPercentile;
  }

  /** The intensities that map to 0 and 1. */
  public record Window(double low, double high) {
    /** {@code value} clipped to the window and scaled to [0, 1]; 0 for an empty window. */
    public float apply(float value) {
      if (!(high > low)) {
        return 0f;
      }
      double v = (value - low) / (high - low);
      return (float) (v <= 0 ? 0 : v >= 1 ? 1 : v);
    }
  }

  /**
   * The window of {@code image}.
   *
   * @throws StudyRejectedException {@code NON_FINITE_INTENSITY} when a voxel is NaN or infinite
   */
  public Window window(Image image) {
    ElementType type = image.type();
    int n = Math.toIntExact(image.voxelCount());
    ByteBuffer b = image.buffer();
    switch (type) {
      case UCHAR, CHAR -> {
        int[] histogram = new int[256];
        for (int i = 0; i < n; i++) {
          histogram[type == ElementType.UCHAR ? b.get(i) & 0xFF : b.get(i) + 128]++;
        }
        int shift = type == ElementType.UCHAR ? 0 : -128;
        return new Window(
            exact(histogram, n, lowerPercentile) + shift,
            exact(histogram, n, upperPercentile) + shift);
      }
      case USHORT, SHORT -> {
        int[] histogram = new int[1 << 16];
        if (type == ElementType.USHORT) {
          for (int i = 0; i < n; i++) {
            histogram[b.getShort(2 * i) & 0xFFFF]++;
          }
        } else {
          for (int i = 0; i < n; i++) {
            histogram[b.getShort(2 * i) + 32768]++;
          }
        }
        int shift = type == ElementType.USHORT ? 0 : -32768;
        return new Window(
            exact(histogram, n, lowerPercentile) + shift,
            exact(histogram, n, upperPercentile) + shift);
      }
      default -> {
        return wide(VoxelReader.of(image), n);
      }
    }
  }

  /** Normalises the content pixels of a resampled slice in place; padding stays 0. */
  public static void apply(Window window, float[] pixels, SliceGrid grid) {
    for (int y = grid.contentY(); y < grid.contentY() + grid.contentHeight(); y++) {
      int row = y * grid.width();
      for (int x = grid.contentX(); x < grid.contentX() + grid.contentWidth(); x++) {
        pixels[row + x] = window.apply(pixels[row + x]);
      }
    }
  }

  private Window wide(VoxelReader voxels, int n) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      float v = voxels.at(i);
      if (!Float.isFinite(v)) {
        throw new StudyRejectedException(
            StudyRejectedException.NON_FINITE_INTENSITY,
            "image.voxels",
            "finite intensities",
            "voxel " + i + " is " + v);
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (!(max > min)) {
      return new Window(min, max);
    }
    double binWidth = (max - min) / WIDE_BINS;
    int[] histogram = new int[WIDE_BINS];
    for (int i = 0; i < n; i++) {
      int bin = (int) ((voxels.at(i) - min) / binWidth);
      histogram[Math.min(bin, WIDE_BINS - 1)]++;
    }
    return new Window(
        min + exact(histogram, n, lowerPercentile) * binWidth,
        min + (exact(histogram, n, upperPercentile) + 1) * binWidth);
  }

  /** The nearest-rank percentile: the first bin whose cumulative count reaches ceil(p/100·n). */
  static int exact(int[] histogram, int n, double percentile) {
    long rank = Math.max(1, Math.min(n, (long) Math.ceil(percentile / 100.0 * n)));
    long cumulative = 0;
    for (int bin = 0; bin < histogram.length; bin++) {
      cumulative += histogram[bin];
      if (cumulative >= rank) {
        return bin;
      }
    }
    return histogram.length - 1;
  }
}
