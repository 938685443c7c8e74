package io.spineflow.imaging.metrics;

import java.util.SplittableRandom;

/**
 * A schematic mid-sagittal spine on a slice (anterior to the right, superior at the top): five
 * vertebral bodies with a disc below each (the lowest, L5/S1, resting on the unlabelled sacrum), a
 * spinous process behind each body, and the canal between, running the full height.
 */
final class SpineSlices {
  static final int BODIES = 5;

  private SpineSlices() {}

  /**
   * The spine on a {@code width × height} slice (at least 128 × 128), moved {@code offset} pixels
   * right and down; with a non-zero offset, also a few single-pixel specks of random classes.
   */
  static Masks spine(int width, int height, int offset) {
    Masks m = Masks.blank(width, height);
    m.rect(40 + offset, 0, 47 + offset, height - 1, SpineClass.SPINAL_CANAL.id());
    for (int i = 0; i < BODIES; i++) {
      int top = 5 + 22 * i + offset;
      m.rect(50 + offset, top, 80 + offset, top + 15, SpineClass.VERTEBRAE.id());
      m.rect(50 + offset, top + 16, 80 + offset, top + 21, SpineClass.DISCS.id());
      m.rect(20 + offset, top + 4, 34 + offset, top + 10, SpineClass.VERTEBRAE.id());
    }
    if (offset != 0) {
      SplittableRandom random = new SplittableRandom(offset);
      for (int k = 0; k < 20; k++) {
        m.pixel(random.nextInt(width), random.nextInt(height), random.nextInt(4));
      }
    }
    return m;
  }
}
