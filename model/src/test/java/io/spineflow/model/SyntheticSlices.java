package io.spineflow.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tiny spine-like labelled slices for tests: a vertical column of bright "vertebrae" (class 1)
 * separated by darker "discs" (class 3), a bright "canal" band behind them (class 2), on a noisy
 * background (class 0). Position, size and noise vary with the seed.
 */
public final class SyntheticSlices {

  private SyntheticSlices() {}

  /** {@code count} slices of {@code width}×{@code height} from {@code seed}. */
  public static List<LabelledSlice> generate(int count, int width, int height, long seed) {
    Random random = new Random(seed);
    List<LabelledSlice> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(one(width, height, random));
    }
    return out;
  }

  private static LabelledSlice one(int width, int height, Random random) {
    float[] pixels = new float[width * height];
    byte[] labels = new byte[width * height];
    int columnLeft = width / 4 + random.nextInt(Math.max(1, width / 8));
    int columnWidth = width / 4 + random.nextInt(Math.max(1, width / 10));
    int canalLeft = columnLeft + columnWidth + 2;
    int canalWidth = Math.max(3, width / 12);
    int period = height / 5 + random.nextInt(Math.max(1, height / 16));
    int discHeight = Math.max(2, period / 4);
    int phase = random.nextInt(period);
    for (int y = 0; y < height; y++) {
      boolean disc = Math.floorMod(y + phase, period) < discHeight;
      for (int x = 0; x < width; x++) {
        int label = 0;
        if (x >= columnLeft && x < columnLeft + columnWidth) {
          label = disc ? 3 : 1;
        } else if (x >= canalLeft && x < canalLeft + canalWidth) {
          label = 2;
        }
        float base =
            switch (label) {
              case 1 -> 0.65f;
              case 2 -> 0.9f;
              case 3 -> 0.4f;
              default -> 0.15f;
            };
        float value = base + (float) (random.nextGaussian() * 0.05);
        pixels[y * width + x] = Math.min(1f, Math.max(0f, value));
        labels[y * width + x] = (byte) label;
      }
    }
    return new LabelledSlice(pixels, labels, width, height);
  }
}
