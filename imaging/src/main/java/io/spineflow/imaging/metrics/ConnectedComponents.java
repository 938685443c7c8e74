package io.spineflow.imaging.metrics;

import java.util.Arrays;

/**
 * The 8-connected components of every foreground class of a mask (a component holds one class), by
 * breadth-first search on primitive arrays. The search runs on a copy of the mask padded with a
 * one-pixel border of "no class", so neighbours need neither bounds checks nor divisions.
 */
final class ConnectedComponents {
  private static final byte OUTSIDE = -1;

  private final int paddedWidth;
  private final int[] labels; // component per padded pixel, -1 for background and the border
  private final int count;
  private final int[] sizes;
  private final byte[] classes;

  private ConnectedComponents(
      int paddedWidth, int[] labels, int count, int[] sizes, byte[] classes) {
    this.paddedWidth = paddedWidth;
    this.labels = labels;
    this.count = count;
    this.sizes = sizes;
    this.classes = classes;
  }

  /** Labels the components of every class other than background (0) in {@code mask}. */
  static ConnectedComponents of(byte[] mask, int width, int height) {
    int pw = width + 2;
    byte[] padded = new byte[pw * (height + 2)];
    Arrays.fill(padded, OUTSIDE);
    for (int y = 0; y < height; y++) {
      System.arraycopy(mask, y * width, padded, (y + 1) * pw + 1, width);
    }
    int[] neighbours = {-pw - 1, -pw, -pw + 1, -1, 1, pw - 1, pw, pw + 1};
    int[] labels = new int[padded.length];
    Arrays.fill(labels, -1);
    int[] queue = new int[mask.length];
    int[] sizes = new int[16];
    byte[] classes = new byte[16];
    int count = 0;
    for (int seed = pw + 1; seed < padded.length - pw - 1; seed++) {
      byte c = padded[seed];
      if (c <= 0 || labels[seed] >= 0) {
        continue; // background, border, or already labelled
      }
      int label = count++;
      if (label == sizes.length) {
        sizes = Arrays.copyOf(sizes, 2 * label);
        classes = Arrays.copyOf(classes, 2 * label);
      }
      labels[seed] = label;
      queue[0] = seed;
      int end = 1;
      for (int head = 0; head < end; head++) {
        int i = queue[head];
        for (int offset : neighbours) {
          int j = i + offset;
          if (padded[j] == c && labels[j] < 0) {
            labels[j] = label;
            queue[end++] = j;
          }
        }
      }
      sizes[label] = end;
      classes[label] = c;
    }
    return new ConnectedComponents(pw, labels, count, sizes, classes);
  }

  /** The component at ({@code x}, {@code y}), or -1 for background. */
  int at(int x, int y) {
    return labels[(y + 1) * paddedWidth + x + 1];
  }

  /** Number of components. */
  int count() {
    return count;
  }

  /** Pixels of component {@code k}. */
  int size(int k) {
    return sizes[k];
  }

  /** Class of component {@code k}. */
  int classOf(int k) {
    return classes[k];
  }

  /** Number of components of {@code classId} with at least {@code minPixels} pixels. */
  int countAtLeast(int classId, int minPixels) {
    int n = 0;
    for (int k = 0; k < count; k++) {
      n += classes[k] == classId && sizes[k] >= minPixels ? 1 : 0;
    }
    return n;
  }
}
