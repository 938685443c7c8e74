package io.spineflow.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A training example: a slice and its merged class label per pixel (0 background, 1 vertebrae, 2
 * spinal canal, 3 intervertebral discs), both row-major.
 *
 * <p>Arrays are not copied: treat them as read-only once passed in.
 *
 * @param pixels {@code width·height} intensities in [0, 1]
 * @param labels {@code width·height} class indices
 * @param width columns
 * @param height rows
 */
public record LabelledSlice(float[] pixels, byte[] labels, int width, int height) {

  /** Checks both arrays against the size. */
  public LabelledSlice {
    Objects.requireNonNull(labels, "labels");
    new SliceInput(pixels, width, height); // same checks for the image
    if (labels.length != pixels.length) {
      throw new IllegalArgumentException(
          "labels hold " + labels.length + " values for " + pixels.length + " pixels");
    }
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
        && Arrays.equals(labels, s.labels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(width, height, Arrays.hashCode(pixels), Arrays.hashCode(labels));
  }

  @Override
  public String toString() {
    return "LabelledSlice[" + width + "×" + height + "]";
  }
}
