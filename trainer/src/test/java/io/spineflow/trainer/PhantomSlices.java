package io.spineflow.trainer;

import io.spineflow.events.LabelScope;
import io.spineflow.events.LabelledClass;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.imaging.render.Slice2D;
import io.spineflow.imaging.render.SliceExtractor;
import io.spineflow.model.LabelledSlice;
import io.spineflow.model.training.SliceRef;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Labelled sagittal slices of synthetic studies, made the way preprocess makes them but simpler
 * (preprocess is another service, not importable): sagittal slices turned for display, fitted into
 * the model's input with the aspect ratio kept (bilinear for intensities, nearest for labels),
 * study intensities windowed at the 0.5/99.5 percentiles, SPIDER labels merged to the 4 classes,
 * and only slices holding all 4 classes kept (Ahmed et al.'s filter).
 */
final class PhantomSlices {
  private static final PhantomGenerator GENERATOR = new PhantomGenerator();
  private static final Map<String, List<Example>> CACHE = new ConcurrentHashMap<>();
  private static final Instant RECEIVED = Instant.parse("2026-11-22T08:00:00Z");

  /** One labelled slice and where it came from. */
  record Example(
      String studyUid, int sliceIndex, io.spineflow.events.Sequence sequence, LabelledSlice slice) {
    SliceRef ref() {
      return new SliceRef(
          studyUid, sliceIndex, sequence.name(), 300.0 / slice.width(), 300.0 / slice.height());
    }
  }

  private PhantomSlices() {}

  /** The kept slices of phantom {@code seed} ({@code sizeScale} 0.5), generated once per JVM. */
  static List<Example> study(String uid, long seed, Sequence sequence, int width, int height) {
    return CACHE.computeIfAbsent(
        uid + "|" + seed + "|" + sequence + "|" + width + "x" + height,
        k -> make(uid, seed, sequence, width, height));
  }

  /** A study's slices as {@code slices} events (labelled, or with the label dropped). */
  static List<Slice> events(List<Example> examples, boolean labelled) {
    List<Slice> out = new ArrayList<>();
    for (Example e : examples) {
      out.add(event(e, labelled));
    }
    return out;
  }

  static Slice event(Example e, boolean labelled) {
    LabelledSlice s = e.slice();
    ByteBuffer pixels = ByteBuffer.allocate(s.pixels().length * 4).order(ByteOrder.LITTLE_ENDIAN);
    pixels.asFloatBuffer().put(s.pixels());
    return Slice.newBuilder()
        .setStudyUid(e.studyUid())
        .setSliceIndex(e.sliceIndex())
        .setSequence(e.sequence())
        .setWidth(s.width())
        .setHeight(s.height())
        .setPixels(pixels)
        .setLabel(labelled ? ByteBuffer.wrap(s.labels().clone()) : null)
        .setLabelScope(labelled ? labelScope(s.scope(), s.height()) : null)
        .setPixelSpacing(List.of(300.0 / s.width(), 300.0 / s.height()))
        .setSliceThickness(4.0)
        .setPixelToPhysical(List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))
        .setSourceSliceIndex(e.sliceIndex())
        .setSagittalAxis(0)
        .setStudyReceivedAt(RECEIVED)
        .setPreprocessedAt(RECEIVED)
        .build();
  }

  /** A slice's scope as the {@code Slice.labelScope} field: null for a complete label. */
  static LabelScope labelScope(SliceLabelScope scope, int height) {
    if (scope.complete(height)) {
      return null;
    }
    return LabelScope.newBuilder()
        .setClasses(scope.classes().stream().map(c -> LabelledClass.valueOf(c.name())).toList())
        .setFirstRow(Math.max(0, scope.firstRow()))
        .setLastRow(Math.min(height - 1, scope.lastRow()))
        .build();
  }

  /**
   * The examples relabelled as a partial label would have them: only {@code scope}'s classes, only
   * on its rows (everything else 0, which the scope then marks unknown).
   */
  static List<Example> partial(List<Example> examples, SliceLabelScope scope) {
    List<Example> out = new ArrayList<>();
    for (Example e : examples) {
      LabelledSlice s = e.slice();
      byte[] labels = s.labels().clone();
      for (int i = 0; i < labels.length; i++) {
        int c = labels[i];
        boolean kept =
            scope.inExtent(i / s.width())
                && scope.classes().stream().anyMatch(k -> k.spineClass().id() == c);
        if (!kept) {
          labels[i] = 0;
        }
      }
      out.add(
          new Example(
              e.studyUid(),
              e.sliceIndex(),
              e.sequence(),
              new LabelledSlice(s.pixels(), labels, s.width(), s.height(), scope)));
    }
    return out;
  }

  /** The summary preprocess publishes after a study's slices. */
  static SliceSummary summary(String uid, List<Example> examples, boolean labelled) {
    return SliceSummary.newBuilder()
        .setStudyUid(uid)
        .setSequence(
            examples.isEmpty() ? io.spineflow.events.Sequence.UNKNOWN : examples.get(0).sequence())
        .setLabelled(labelled)
        .setSourceSlices(examples.size())
        .setEmittedSliceIndexes(examples.stream().map(Example::sliceIndex).toList())
        .setDroppedByReason(Map.of())
        .setStudyReceivedAt(RECEIVED)
        .setCompletedAt(RECEIVED)
        .build();
  }

  private static List<Example> make(
      String uid, long seed, Sequence sequence, int width, int height) {
    PhantomStudy study = GENERATOR.generate(PhantomSpec.of(sequence, seed).withSizeScale(0.5));
    int axis = study.truth().sagittalAxis();
    int count = study.image().geometry().size()[axis];
    float[] window = window(study.image());
    io.spineflow.events.Sequence seq = io.spineflow.events.Sequence.valueOf(sequence.name());
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Slice2D image = SliceExtractor.extractForDisplay(study.image(), axis, i);
      Slice2D mask = SliceExtractor.extractForDisplay(study.mask(), axis, i);
      LabelledSlice fitted = fit(image, mask, window, width, height);
      if (hasAllClasses(fitted.labels())) {
        out.add(new Example(uid, i, seq, fitted));
      }
    }
    return List.copyOf(out);
  }

  /** SPIDER label value to spineflow class (spider.md, "Labels"). */
  static byte merge(int value) {
    if (value == 0) {
      return 0;
    }
    if (value == 100) {
      return 2;
    }
    if (value > 200) {
      return 3;
    }
    return 1; // 1-99 vertebrae, 101-199 partly visible vertebrae
  }

  private static float[] window(Image image) {
    float[] values = image.toFloats();
    float[] sorted = values.clone();
    Arrays.sort(sorted);
    float low = sorted[(int) (0.005 * (sorted.length - 1))];
    float high = sorted[(int) (0.995 * (sorted.length - 1))];
    return new float[] {low, high};
  }

  private static LabelledSlice fit(
      Slice2D image, Slice2D mask, float[] window, int width, int height) {
    double extentX = image.width() * image.pixelWidthMm();
    double extentY = image.height() * image.pixelHeightMm();
    double pixel = Math.max(extentX / width, extentY / height);
    int contentWidth = Math.max(1, Math.min(width, (int) Math.round(extentX / pixel)));
    int contentHeight = Math.max(1, Math.min(height, (int) Math.round(extentY / pixel)));
    int offsetX = (width - contentWidth) / 2;
    int offsetY = (height - contentHeight) / 2;
    double stepX = pixel / image.pixelWidthMm();
    double stepY = pixel / image.pixelHeightMm();
    float[] source = image.values();
    float[] labels = mask.values();
    float[] pixels = new float[width * height];
    byte[] classes = new byte[width * height];
    float range = Math.max(1e-6f, window[1] - window[0]);
    for (int y = 0; y < contentHeight; y++) {
      double sy = (y + 0.5) * stepY - 0.5;
      for (int x = 0; x < contentWidth; x++) {
        double sx = (x + 0.5) * stepX - 0.5;
        float v = bilinear(source, image.width(), image.height(), sx, sy);
        int nearestX = clamp((int) Math.round(sx), image.width());
        int nearestY = clamp((int) Math.round(sy), image.height());
        int o = (y + offsetY) * width + x + offsetX;
        pixels[o] = Math.min(1f, Math.max(0f, (v - window[0]) / range));
        classes[o] = merge(Math.round(labels[nearestY * image.width() + nearestX]));
      }
    }
    return new LabelledSlice(pixels, classes, width, height);
  }

  private static float bilinear(float[] v, int w, int h, double x, double y) {
    double cx = Math.max(0, Math.min(w - 1, x));
    double cy = Math.max(0, Math.min(h - 1, y));
    int x0 = (int) Math.floor(cx);
    int y0 = (int) Math.floor(cy);
    int x1 = Math.min(w - 1, x0 + 1);
    int y1 = Math.min(h - 1, y0 + 1);
    double fx = cx - x0;
    double fy = cy - y0;
    double top = v[y0 * w + x0] * (1 - fx) + v[y0 * w + x1] * fx;
    double bottom = v[y1 * w + x0] * (1 - fx) + v[y1 * w + x1] * fx;
    return (float) (top * (1 - fy) + bottom * fy);
  }

  private static int clamp(int i, int n) {
    return Math.max(0, Math.min(n - 1, i));
  }

  private static boolean hasAllClasses(byte[] labels) {
    boolean[] seen = new boolean[4];
    for (byte b : labels) {
      seen[b] = true;
    }
    return seen[0] && seen[1] && seen[2] && seen[3];
  }
}
