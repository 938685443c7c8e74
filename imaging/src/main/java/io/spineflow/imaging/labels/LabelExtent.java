package io.spineflow.imaging.labels;

import java.util.Locale;

/** Over what part of the image a label mask's declared classes are complete. */
public enum LabelExtent {
  /** Complete over the whole image. */
  WHOLE_IMAGE("whole-image"),
  /**
   * Complete only between the most superior and the most inferior labelled voxel (plus a margin):
   * e.g. discs L1/L2 to L5/S1 labelled while T12/L1 is in view but not labelled.
   */
  LABELLED_SPAN("labelled-span");

  private final String declaration;

  LabelExtent(String declaration) {
    this.declaration = declaration;
  }

  /** The word used in declarations. */
  public String declaration() {
    return declaration;
  }

  /**
   * The extent declared as {@code word}.
   *
   * @throws IllegalArgumentException naming the accepted words
   */
  public static LabelExtent parse(String word) {
    String w = word.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (LabelExtent e : values()) {
      if (e.declaration.equals(w)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown label extent '"
            + word
            + "'; known: whole-image, labelled-span, labelled-span+MARGINmm");
  }
}
