package io.spineflow.platform.deadletter;

import io.spineflow.events.Slice;
import io.spineflow.schemas.SlicePixels;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The {@code slices} contract every consumer relies on, checked before a slice reaches a model, a
 * metric or the training cache: a sane size, exactly {@code width·height} float32 pixels, all
 * finite, a label of {@code width·height} classes 0..3, and a finite positive pixel spacing. A
 * slice that breaks it is a {@link PoisonException} naming the field and the limit.
 */
public final class SliceContract {
  /** Larger than any profile's input (the paper's 512×640) and small enough to allocate. */
  public static final int MAX_SIDE = 4096;

  private static final int CLASSES = 4;

  private SliceContract() {}

  /**
   * @return the slice's pixels
   * @throws PoisonException when the slice breaks the contract
   */
  public static float[] check(Slice slice) {
    if (slice.getStudyUid() == null || slice.getStudyUid().isEmpty()) {
      throw poison("studyUid", "a non-empty study UID", "empty study UID");
    }
    int width = side("width", slice.getWidth());
    int height = side("height", slice.getHeight());
    int n = width * height;
    ByteBuffer pixelBytes = slice.getPixels();
    if (pixelBytes.remaining() != 4L * n) {
      throw poison(
          "pixels",
          "width*height float32 = " + 4L * n + " bytes",
          pixelBytes.remaining() + " bytes for a " + width + "x" + height + " slice");
    }
    float[] pixels = SlicePixels.decode(pixelBytes);
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(pixels[i])) {
        throw poison("pixels", "finite values", "pixel " + i + " is " + pixels[i]);
      }
    }
    checkLabel(slice.getLabel(), n);
    checkSpacing(slice.getPixelSpacing());
    return pixels;
  }

  private static int side(String field, int value) {
    if (value < 1 || value > MAX_SIDE) {
      throw poison(field, "1.." + MAX_SIDE, field + " " + value);
    }
    return value;
  }

  private static void checkLabel(ByteBuffer label, int n) {
    if (label == null) {
      return;
    }
    if (label.remaining() != n) {
      throw poison("label", "width*height = " + n + " bytes", label.remaining() + " bytes");
    }
    for (int i = label.position(); i < label.limit(); i++) {
      int c = label.get(i) & 0xff;
      if (c >= CLASSES) {
        throw poison("label", "classes 0.." + (CLASSES - 1), "class " + c);
      }
    }
  }

  private static void checkSpacing(List<Double> spacing) {
    if (spacing == null || spacing.size() != 2) {
      throw poison(
          "pixelSpacing",
          "2 values (column, row) in mm",
          (spacing == null ? 0 : spacing.size()) + " values");
    }
    for (Double mm : spacing) {
      if (mm == null || !Double.isFinite(mm) || mm <= 0) {
        throw poison("pixelSpacing", "finite values > 0 mm", "spacing " + mm);
      }
    }
  }

  private static PoisonException poison(String field, String limit, String message) {
    return new PoisonException(Poison.invalid(field, limit, message));
  }
}
