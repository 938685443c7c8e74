package io.spineflow.imaging.labels;

import io.spineflow.imaging.metrics.SpineClass;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a 2D slice's label is known: the structures it labels and the rows (inclusive, row 0 =
 * superior) inside the study's labelled extent. Every consumer of partial labels asks this one type
 * what a pixel may be: the loss (which classes a pixel is allowed to be), the metrics (which
 * classes to score, on which rows) and the filters (which classes must be present).
 *
 * @param classes the labelled structures
 * @param firstRow first row inside the labelled extent
 * @param lastRow last row inside the labelled extent (inclusive); {@code lastRow < firstRow} means
 *     no row is inside
 */
public record SliceLabelScope(Set<LabelledStructure> classes, int firstRow, int lastRow) {
  /**
   * A label value that marks one pixel as unknown whatever the scope: what geometric augmentations
   * write where they move the extent's edge or pad the image ({@link #withExtentInLabel}).
   */
  public static final byte UNKNOWN = (byte) 0xFF;

  /**
   * The high bit of a restricted label value: {@code 0x80 | bits} says the pixel is one of the
   * classes in {@code bits} (e.g. "background or disc"), whatever the scope's classes. What
   * training derives from anatomy where a partial label says nothing ({@link AnatomicalPriors});
   * {@link #UNKNOWN} is the restriction to every class. Only training reads restricted values;
   * metrics score the label as drawn.
   */
  private static final int RESTRICTED = 0x80;

  /** Bit set of every class: a pixel about which nothing is known. */
  public static final int ANY_CLASS = (1 << SpineClass.COUNT) - 1;

  /** A complete label on every row. */
  public static final SliceLabelScope COMPLETE =
      new SliceLabelScope(LabelCoverage.COMPLETE.classes(), 0, Integer.MAX_VALUE);

  /** Freezes the set. */
  public SliceLabelScope {
    if (classes == null || classes.isEmpty()) {
      throw new IllegalArgumentException("labelled classes: at least one is needed");
    }
    classes = Collections.unmodifiableSet(EnumSet.copyOf(classes));
  }

  /** The scope of a whole-image label with {@code coverage}'s classes. */
  public static SliceLabelScope wholeImage(LabelCoverage coverage) {
    return new SliceLabelScope(coverage.classes(), 0, Integer.MAX_VALUE);
  }

  /** True when this scope is a complete label over every row of a slice of {@code height}. */
  public boolean complete(int height) {
    return classes.equals(COMPLETE.classes()) && firstRow <= 0 && lastRow >= height - 1;
  }

  /** True when a 0 in the mask is background for {@code c} (inside the extent). */
  public boolean completelyLabels(SpineClass c) {
    if (c == SpineClass.BACKGROUND) {
      return SpineClass.FOREGROUND.stream().allMatch(this::completelyLabels);
    }
    return classes.stream()
        .anyMatch(s -> s != LabelledStructure.VERTEBRAL_BODIES && s.spineClass() == c);
  }

  /** True when vertebrae are labelled as bodies only (posterior elements unknown). */
  public boolean bodiesOnly() {
    return classes.contains(LabelledStructure.VERTEBRAL_BODIES);
  }

  /** The label value restricting a pixel to the classes in {@code allowed} (a bit set). */
  public static byte restricted(int allowed) {
    if (allowed <= 0 || allowed > ANY_CLASS) {
      throw new IllegalArgumentException("allowed classes must be a non-empty bit set: " + allowed);
    }
    return (byte) (RESTRICTED | allowed);
  }

  /** True for {@link #UNKNOWN} and the other {@link #restricted} values. */
  public static boolean isRestricted(int label) {
    return (label & RESTRICTED) != 0;
  }

  /** True when {@code row} is inside the labelled extent. */
  public boolean inExtent(int row) {
    return row >= firstRow && row <= lastRow;
  }

  /**
   * The classes a pixel may be, as a bit set (bit {@code c} for class {@code c}): one bit where the
   * label says what the pixel is; several where it is a 0 and some classes are unlabelled; {@link
   * #ANY_CLASS} outside the extent.
   *
   * @param label the mask's class at the pixel, 0..3, {@link #UNKNOWN} or another {@link
   *     #restricted} value
   * @param row the pixel's row
   */
  public int allowedClasses(int label, int row) {
    if (!inExtent(row)) {
      return ANY_CLASS;
    }
    if (isRestricted(label)) {
      int allowed = label & ANY_CLASS;
      return allowed == 0 ? ANY_CLASS : allowed;
    }
    if (label != 0) {
      return 1 << label;
    }
    int allowed = ANY_CLASS;
    for (SpineClass c : SpineClass.FOREGROUND) {
      if (completelyLabels(c)) {
        allowed &= ~(1 << c.id());
      }
    }
    return allowed;
  }

  /**
   * The extent written into a copy of {@code labels} ({@link #UNKNOWN} on every row outside it), so
   * that a geometric transformation can move it pixel by pixel; use it with {@link
   * #withoutRowLimits()}.
   */
  public byte[] withExtentInLabel(byte[] labels, int width, int height) {
    byte[] copy = labels.clone();
    for (int row = 0; row < height; row++) {
      if (!inExtent(row)) {
        java.util.Arrays.fill(copy, row * width, (row + 1) * width, UNKNOWN);
      }
    }
    return copy;
  }

  /** This scope over every row (the extent then lives in the label, see {@link #UNKNOWN}). */
  public SliceLabelScope withoutRowLimits() {
    return new SliceLabelScope(classes, 0, Integer.MAX_VALUE);
  }

  /** {@link #allowedClasses(int, int)} for every pixel of a row-major label. */
  public byte[] allowedClasses(byte[] labels, int width, int height) {
    if (labels.length != width * height) {
      throw new IllegalArgumentException(
          "labels hold " + labels.length + " values for " + width + "×" + height);
    }
    byte[] allowed = new byte[labels.length];
    for (int row = 0; row < height; row++) {
      for (int col = 0; col < width; col++) {
        int i = row * width + col;
        allowed[i] = (byte) allowedClasses(labels[i], row);
      }
    }
    return allowed;
  }
}
