package io.spineflow.imaging.metaimage;

/**
 * Reverses the bytes of every element in place, turning big-endian voxels into the little-endian
 * storage of {@link io.spineflow.imaging.Image} (and back). Plain array loops: no per-voxel
 * objects.
 */
final class ByteOrderSwap {
  private ByteOrderSwap() {}

  static void swapInPlace(byte[] data, int elementBytes) {
    switch (elementBytes) {
      case 1 -> {}
      case 2 -> {
        for (int i = 0; i + 1 < data.length; i += 2) {
          swap(data, i, i + 1);
        }
      }
      case 4 -> {
        for (int i = 0; i + 3 < data.length; i += 4) {
          swap(data, i, i + 3);
          swap(data, i + 1, i + 2);
        }
      }
      case 8 -> {
        for (int i = 0; i + 7 < data.length; i += 8) {
          swap(data, i, i + 7);
          swap(data, i + 1, i + 6);
          swap(data, i + 2, i + 5);
          swap(data, i + 3, i + 4);
        }
      }
      default -> throw new IllegalArgumentException("element size " + elementBytes);
    }
  }

  private static void swap(byte[] data, int i, int j) {
    byte t = data[i];
    data[i] = data[j];
    data[j] = t;
  }
}
