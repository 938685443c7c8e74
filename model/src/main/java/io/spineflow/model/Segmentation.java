package io.spineflow.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The model's answer for one slice, on the Java heap (safe to keep after the predictor call).
 *
 * @param classes the most probable class per pixel, row-major ({@code classes[y·width + x]})
 * @param probabilities softmax probabilities, class-major: {@code probabilities[(c·height +
 *     y)·width + x]}; they sum to 1 over {@code c} at every pixel
 * @param width columns
 * @param height rows
 */
public record Segmentation(byte[] classes, float[] probabilities, int width, int height) {

  /** Checks the array sizes against each other. */
  public Segmentation {
    Objects.requireNonNull(classes, "classes");
    Objects.requireNonNull(probabilities, "probabilities");
    int pixels = width * height;
    if (classes.length != pixels || pixels == 0 || probabilities.length % pixels != 0) {
      throw new IllegalArgumentException(
          "inconsistent segmentation: "
              + width
              + "×"
              + height
              + ", "
              + classes.length
              + " class values, "
              + probabilities.length
              + " probabilities");
    }
  }

  /** Number of classes (probability planes). */
  public int classCount() {
    return probabilities.length / (width * height);
  }

  /** The predicted class at column {@code x}, row {@code y}. */
  public int classAt(int x, int y) {
    return classes[y * width + x];
  }

  /** The probability of class {@code c} at column {@code x}, row {@code y}. */
  public float probability(int c, int x, int y) {
    return probabilities[(c * height + y) * width + x];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Segmentation s
        && width == s.width
        && height == s.height
        && Arrays.equals(classes, s.classes)
        && Arrays.equals(probabilities, s.probabilities);
  }

  @Override
  public int hashCode() {
    return Objects.hash(width, height, Arrays.hashCode(classes), Arrays.hashCode(probabilities));
  }

  @Override
  public String toString() {
    return "Segmentation[" + width + "×" + height + ", " + classCount() + " classes]";
  }
}
