package io.spineflow.imaging.levels;

/** Level names counted from the sacrum: vertebra 1 is L5, disc 1 (below vertebra 1) is L5/S1. */
public final class LevelNames {
  private LevelNames() {}

  /** Vertebra {@code k} counted upwards from the sacrum: 1 = L5 … 5 = L1, 6 = T12 … 17 = T1. */
  public static String vertebra(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("vertebrae are counted from 1: " + k);
    }
    if (k <= 5) {
      return "L" + (6 - k);
    }
    if (k <= 17) {
      return "T" + (18 - k);
    }
    return k <= 24 ? "C" + (25 - k) : "V" + k;
  }

  /** The disc below vertebra {@code k}: 1 = L5/S1, 2 = L4/L5 … 6 = T12/L1. */
  public static String disc(int k) {
    return vertebra(k) + "/" + (k == 1 ? "S1" : vertebra(k - 1));
  }
}
