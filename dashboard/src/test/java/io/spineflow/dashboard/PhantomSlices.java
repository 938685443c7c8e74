package io.spineflow.dashboard;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.imaging.render.Slice2D;
import io.spineflow.imaging.render.SliceExtractor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Realistic 2D sagittal slices for the dashboard's tests, cut from the project's SPIDER-like
 * phantoms the way preprocess does it in spirit: displayed orientation (superior up, anterior
 * left), resampled to {@value #SIZE}×{@value #SIZE}, intensities windowed to [0, 1] by the slice's
 * 0.5-99.5 percentiles, SPIDER labels merged into the 4 classes. Cached per study.
 */
final class PhantomSlices {
  static final int SIZE = 128;

  /** One slice: pixels in [0, 1], label classes 0-3, physical pixel size. */
  record SliceData(
      String studyUid,
      int sliceIndex,
      Sequence sequence,
      boolean shifted,
      float[] pixels,
      byte[] label,
      double pixelWidthMm,
      double pixelHeightMm) {}

  private static final Map<String, List<SliceData>> CACHE = new ConcurrentHashMap<>();

  private PhantomSlices() {}

  /** Every sagittal slice of the phantom study (sequence, seed, shift) at half resolution. */
  static List<SliceData> study(Sequence sequence, long seed, boolean shift) {
    String key = sequence + "/" + seed + "/" + shift;
    return CACHE.computeIfAbsent(key, k -> generate(sequence, seed, shift));
  }

  private static List<SliceData> generate(Sequence sequence, long seed, boolean shift) {
    PhantomStudy study =
        new PhantomGenerator()
            .generate(PhantomSpec.of(sequence, seed).withSizeScale(0.5).withShift(shift));
    int axis = study.truth().sagittalAxis();
    int count = study.image().geometry().size()[axis];
    List<SliceData> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Slice2D image = SliceExtractor.extractForDisplay(study.image(), axis, i);
      Slice2D labels = SliceExtractor.extractForDisplay(study.mask(), axis, i);
      double widthMm = image.width() * image.pixelWidthMm();
      double heightMm = image.height() * image.pixelHeightMm();
      float[] pixels = normalise(resample(image));
      float[] merged = resample(labels);
      byte[] label = new byte[merged.length];
      for (int p = 0; p < merged.length; p++) {
        int v = Math.round(merged[p]);
        label[p] = (byte) (v == 0 ? 0 : v == 100 ? 2 : v >= 200 ? 3 : 1);
      }
      out.add(
          new SliceData(
              study.studyId().replace('_', '-'),
              i,
              sequence,
              shift,
              pixels,
              label,
              widthMm / SIZE,
              heightMm / SIZE));
    }
    return List.copyOf(out);
  }

  /** Nearest-neighbour resampling to SIZE×SIZE (labels stay labels). */
  private static float[] resample(Slice2D slice) {
    float[] out = new float[SIZE * SIZE];
    for (int y = 0; y < SIZE; y++) {
      int sy = Math.min(slice.height() - 1, (int) ((y + 0.5) * slice.height() / SIZE));
      for (int x = 0; x < SIZE; x++) {
        int sx = Math.min(slice.width() - 1, (int) ((x + 0.5) * slice.width() / SIZE));
        out[x + SIZE * y] = slice.value(sx, sy);
      }
    }
    return out;
  }

  private static float[] normalise(float[] values) {
    float[] sorted = values.clone();
    Arrays.sort(sorted);
    float low = sorted[(int) (0.005 * (sorted.length - 1))];
    float high = sorted[(int) (0.995 * (sorted.length - 1))];
    float range = Math.max(high - low, 1e-6f);
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Math.max(0f, Math.min(1f, (values[i] - low) / range));
    }
    return out;
  }
}
