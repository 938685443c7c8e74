package io.spineflow.model;

import io.spineflow.imaging.labels.SliceLabelScope;
import java.util.Arrays;
import java.util.Objects;

/**
 * A training example: a slice and its merged class label per pixel (0 background, 1 vertebrae, 2
 * spinal canal, 3 intervertebral discs), both row-major, and where that label is known: a partial
 * label ({@link SliceLabelScope}) leaves some classes, or the rows outside its extent, unknown.
 *
 * <p>Arrays are not copied: treat them as read-only once passed in.
 *
 * @param pixels {@code width·height} intensities in [0, 1]
 * @param labels {@code width·height} class indices
 * @param width columns
 * @param height rows
 * @param scope where the label is known; {@link SliceLabelScope#COMPLETE} for a complete label
 */
public record LabelledSlice(
    float[] pixels, byte[] labels, int width, int height, SliceLabelScope scope) {

  /** Checks both arrays against the size. */
  public LabelledSlice {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(scope, "scope");
    new SliceInput(pixels, width, height); // same checks for the image
    if (labels.length != pixels.length) {
      throw new IllegalArgumentException(
          "labels hold " + labels.length + " values for " + pixels.length + " pixels");
    }
  }

  /** A completely labelled slice. */
  public LabelledSlice(float[] pixels, byte[] labels, int width, int height) {
    this(pixels, labels, width, height, SliceLabelScope.COMPLETE);
  }

  /** True when every class is labelled on every row. */
  public boolean completelyLabelled() {
    return scope.complete(height);
  }

  /** The image part, for prediction. */
  public SliceInput input() {
    return new SliceInput(pixels, width, height);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelledSlice s
        && width == s.width
        && height == s.height
        && Arrays.equals(pixels, s.pixels)
        && Arrays.equals(labels, s.labels)
        && scope.equals(s.scope);
  }

  @Override
  public int hashCode() {
    return Objects.hash(width, height, Arrays.hashCode(pixels), Arrays.hashCode(labels), scope);
  }

  @Override
  public String toString() {
    return "LabelledSlice[" + width + "×" + height + "]";
  }
}
