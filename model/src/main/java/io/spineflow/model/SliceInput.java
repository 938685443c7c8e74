package io.spineflow.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One preprocessed 2D sagittal slice to segment: intensities normalised to [0, 1], row-major
 * ({@code pixels[y·width + x]}).
 *
 * <p>The array is not copied (slices arrive by the thousand): treat it as read-only once passed in.
 *
 * @param pixels {@code width·height} intensities, row-major
 * @param width columns
 * @param height rows
 */
public record SliceInput(float[] pixels, int width, int height) {

  /** Checks that the array holds exactly {@code width·height} pixels. */
  public SliceInput {
    Objects.requireNonNull(pixels, "pixels");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("slice size must be positive: " + width + "×" + height);
    }
    if (pixels.length != (long) width * height) {
      throw new IllegalArgumentException(
          "slice of "
              + width
              + "×"
              + height
              + " needs "
              + (long) width * height
              + " pixels, got "
              + pixels.length);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SliceInput s
        && width == s.width
        && height == s.height
        && Arrays.equals(pixels, s.pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "SliceInput[" + width + "×" + height + "]";
  }
}
