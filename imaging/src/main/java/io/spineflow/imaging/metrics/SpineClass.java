package io.spineflow.imaging.metrics;

import java.util.List;

/**
 * spineflow's four segmentation classes, by the value a mask pixel holds (design.md, spider.md
 * "Labels"). The names are the ones the evaluation table prints, following Ahmed et al.'s Table 2.
 */
public enum SpineClass {
  BACKGROUND(0, "Background"),
  VERTEBRAE(1, "Vertebrae"),
  SPINAL_CANAL(2, "Spinal canal"),
  DISCS(3, "IVDs");

  /** The number of classes; valid pixel values are {@code 0 .. COUNT - 1}. */
  public static final int COUNT = 4;

  /** The foreground classes, the ones scored by default. */
  public static final List<SpineClass> FOREGROUND = List.of(VERTEBRAE, SPINAL_CANAL, DISCS);

  private final int id;
  private final String displayName;

  SpineClass(int id, String displayName) {
    this.id = id;
    this.displayName = displayName;
  }

  /** The pixel value of this class in a mask. */
  public int id() {
    return id;
  }

  /** A human-readable name, e.g. {@code Spinal canal}. */
  public String displayName() {
    return displayName;
  }

  /**
   * The class whose pixel value is {@code id}.
   *
   * @throws IllegalArgumentException if {@code id} is not 0..3
   */
  public static SpineClass of(int id) {
    if (id < 0 || id >= COUNT) {
      throw new IllegalArgumentException("class id must be 0.." + (COUNT - 1) + ": " + id);
    }
    return values()[id];
  }
}
