package io.spineflow.dashboard;

import io.spineflow.events.ClassMetrics;
import io.spineflow.events.Mask;
import io.spineflow.events.Quality;
import io.spineflow.events.Slice;
import io.spineflow.schemas.SlicePixels;

/**
 * One of the three records the gallery joins by slice key: the slice (kept as 8-bit greyscale, a
 * quarter of its float size: all a picture needs), its predicted mask, its quality.
 */
public record GalleryPart(
    GalleryPart.SliceImage slice, GalleryPart.Prediction mask, GalleryPart.Scores quality) {

  /**
   * The slice's picture.
   *
   * @param pixels {@code width × height} grey levels, row-major, row 0 superior
   * @param label the ground truth classes, or null for an unlabelled slice
   */
  public record SliceImage(
      String studyUid,
      int sliceIndex,
      String sequence,
      int width,
      int height,
      byte[] pixels,
      byte[] label,
      double pixelWidthMm,
      double pixelHeightMm) {}

  /** The predicted classes and the model that predicted them. */
  public record Prediction(
      int width, int height, byte[] classes, String modelName, int modelVersion, long producedAt) {}

  /**
   * The slice's scores.
   *
   * @param dice per class (index = class), NaN where undefined or unlabelled
   * @param labelledClasses per class (index = class): whether the label labels it (the quality
   *     event has an entry for it); all false for an unlabelled slice
   * @param bodyRecall recall of the labelled vertebral bodies when vertebrae are labelled as bodies
   *     only (no Dice then), else NaN
   * @param bodyAreaRatio predicted vertebra area / labelled body area, likewise
   */
  public record Scores(
      boolean labelled,
      double[] dice,
      double meanMaxProbability,
      String modelName,
      int modelVersion,
      boolean[] labelledClasses,
      double bodyRecall,
      double bodyAreaRatio) {

    /** Mean Dice over the defined foreground classes; NaN when none is. */
    public double meanDice() {
      return QualitySample.meanForeground(dice);
    }
  }

  static GalleryPart of(Slice s) {
    float[] floats = SlicePixels.decode(s.getPixels());
    byte[] grey = new byte[floats.length];
    for (int i = 0; i < grey.length; i++) {
      float v = floats[i];
      grey[i] = (byte) Math.round(255 * Math.max(0f, Math.min(1f, Float.isNaN(v) ? 0f : v)));
    }
    double column = s.getPixelSpacing().size() > 0 ? s.getPixelSpacing().get(0) : 1;
    double row = s.getPixelSpacing().size() > 1 ? s.getPixelSpacing().get(1) : column;
    return new GalleryPart(
        new SliceImage(
            s.getStudyUid(),
            s.getSliceIndex(),
            s.getSequence().name(),
            s.getWidth(),
            s.getHeight(),
            grey,
            s.getLabel() == null ? null : SlicePixels.bytes(s.getLabel()),
            column > 0 ? column : 1,
            row > 0 ? row : 1),
        null,
        null);
  }

  static GalleryPart of(Mask m) {
    return new GalleryPart(
        null,
        new Prediction(
            m.getWidth(),
            m.getHeight(),
            SlicePixels.bytes(m.getClasses()),
            m.getModelName(),
            m.getModelVersion(),
            m.getProducedAt().toEpochMilli()),
        null);
  }

  static GalleryPart of(Quality q) {
    QualitySample sample = QualitySample.of(q);
    boolean[] labelledClasses = new boolean[4];
    double bodyRecall = Double.NaN;
    double bodyAreaRatio = Double.NaN;
    for (ClassMetrics m : q.getClassMetrics()) {
      int c = m.getClassIndex();
      if (c >= 0 && c < 4) {
        labelledClasses[c] = true;
      }
      // Only a bodies-only vertebra entry carries an area ratio (the Quality contract).
      if (c == 1 && m.getAreaRatio() != null) {
        bodyAreaRatio = m.getAreaRatio();
        bodyRecall = m.getRecall() == null ? Double.NaN : m.getRecall();
      }
    }
    return new GalleryPart(
        null,
        null,
        new Scores(
            sample.labelled(),
            sample.dice(),
            q.getMeanMaxProbability(),
            q.getModelName(),
            q.getModelVersion(),
            labelledClasses,
            bodyRecall,
            bodyAreaRatio));
  }

  /** This part with the non-null parts of {@code other} added. */
  GalleryPart with(GalleryPart other) {
    return new GalleryPart(
        other.slice != null ? other.slice : slice,
        other.mask != null ? other.mask : mask,
        other.quality != null ? other.quality : quality);
  }

  /** All three parts are here, and the mask fits the slice. */
  boolean complete() {
    return slice != null && mask != null && quality != null;
  }

  boolean consistent() {
    return complete()
        && mask.width() == slice.width()
        && mask.height() == slice.height()
        && mask.classes().length == slice.pixels().length
        && slice.pixels().length == slice.width() * slice.height()
        && (slice.label() == null || slice.label().length == slice.pixels().length);
  }
}
