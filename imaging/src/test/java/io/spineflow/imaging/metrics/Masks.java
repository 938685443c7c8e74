package io.spineflow.imaging.metrics;

import java.util.SplittableRandom;

/** Builds small constructed masks for the tests. Rows run top (superior) to bottom. */
final class Masks {
  final int width;
  final int height;
  final byte[] pixels;

  private Masks(int width, int height) {
    this.width = width;
    this.height = height;
    this.pixels = new byte[width * height];
  }

  static Masks blank(int width, int height) {
    return new Masks(width, height);
  }

  /** Fills columns {@code x0..x1} and rows {@code y0..y1}, both inclusive, with {@code classId}. */
  Masks rect(int x0, int y0, int x1, int y1, int classId) {
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        pixels[y * width + x] = (byte) classId;
      }
    }
    return this;
  }

  Masks pixel(int x, int y, int classId) {
    pixels[y * width + x] = (byte) classId;
    return this;
  }

  /** Random blobs of classes 0..3: smoothed noise so that classes form regions, not salt. */
  static Masks randomBlobs(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Masks m = blank(width, height);
    int blobs = 2 + random.nextInt(6);
    for (int b = 0; b < blobs; b++) {
      int x0 = random.nextInt(width);
      int y0 = random.nextInt(height);
      int x1 = Math.min(width - 1, x0 + random.nextInt(width / 2 + 1));
      int y1 = Math.min(height - 1, y0 + random.nextInt(height / 2 + 1));
      m.rect(x0, y0, x1, y1, random.nextInt(4));
    }
    for (int i = 0; i < m.pixels.length / 10; i++) { // a few specks
      m.pixels[random.nextInt(m.pixels.length)] = (byte) random.nextInt(4);
    }
    return m;
  }
}
