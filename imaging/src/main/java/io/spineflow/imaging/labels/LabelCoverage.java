package io.spineflow.imaging.labels;

import io.spineflow.imaging.metrics.SpineClass;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a study's label mask labels: which structures, and over which extent. Where a structure is
 * not declared, or outside the extent, a 0 in the mask means <em>unknown</em>, not background.
 *
 * <p>Declared in text the same way at every door (upload header, HTTP field, folder sidecar,
 * manifests, {@code push} options): classes {@code all} or a comma list of {@link
 * LabelledStructure#declarations()}; extent {@code whole-image}, {@code labelled-span} or {@code
 * labelled-span+10mm} (the span grown by a margin).
 *
 * @param classes the declared structures, never empty, never both vertebrae and vertebral bodies
 * @param extent where the declared structures are complete
 * @param marginMm how far a {@link LabelExtent#LABELLED_SPAN} grows above and below, 0..{@value
 *     #MAX_MARGIN_MM}
 */
public record LabelCoverage(Set<LabelledStructure> classes, LabelExtent extent, double marginMm) {
  /** The largest margin accepted, in mm: more than a lumbar spine is a typo. */
  public static final double MAX_MARGIN_MM = 200;

  /** A complete label: every class over the whole image (what a study without a declaration is). */
  public static final LabelCoverage COMPLETE =
      new LabelCoverage(
          EnumSet.of(LabelledStructure.VERTEBRAE, LabelledStructure.CANAL, LabelledStructure.DISCS),
          LabelExtent.WHOLE_IMAGE,
          0);

  /** Checks the invariants and freezes the set. */
  public LabelCoverage {
    if (classes == null || classes.isEmpty()) {
      throw new IllegalArgumentException("labelled classes: at least one is needed");
    }
    if (classes.contains(LabelledStructure.VERTEBRAE)
        && classes.contains(LabelledStructure.VERTEBRAL_BODIES)) {
      throw new IllegalArgumentException(
          "labelled classes: vertebrae and vertebral-bodies exclude each other");
    }
    if (extent == null) {
      throw new IllegalArgumentException("label extent is required");
    }
    if (!(marginMm >= 0 && marginMm <= MAX_MARGIN_MM)) {
      throw new IllegalArgumentException(
          "label extent margin must be 0.." + (int) MAX_MARGIN_MM + " mm: " + marginMm);
    }
    classes = Collections.unmodifiableSet(EnumSet.copyOf(classes));
  }

  /**
   * Parses a declaration.
   *
   * @param classes {@code all} or a comma list such as {@code discs} or {@code
   *     vertebral-bodies,canal}; null or blank means {@code all}
   * @param extent {@code whole-image}, {@code labelled-span} or {@code labelled-span+10mm}; null or
   *     blank means {@code whole-image} for {@code all} and {@code labelled-span} for a subset
   * @throws IllegalArgumentException naming what is wrong and what is accepted
   */
  public static LabelCoverage parse(String classes, String extent) {
    Set<LabelledStructure> set = parseClasses(classes);
    if (extent == null || extent.isBlank()) {
      // A partial label is rarely complete beyond the structures it draws (the IVD set labels
      // L1/L2..L5/S1 while T12/L1 is in view): unless told otherwise, trust it only over its span.
      LabelExtent implied =
          set.equals(COMPLETE.classes()) ? LabelExtent.WHOLE_IMAGE : LabelExtent.LABELLED_SPAN;
      return new LabelCoverage(set, implied, 0);
    }
    String e = extent.trim().toLowerCase(Locale.ROOT);
    int plus = e.indexOf('+');
    if (plus < 0) {
      return new LabelCoverage(set, LabelExtent.parse(e), 0);
    }
    LabelExtent kind = LabelExtent.parse(e.substring(0, plus));
    String margin = e.substring(plus + 1).replaceFirst("mm$", "");
    try {
      return new LabelCoverage(set, kind, Double.parseDouble(margin));
    } catch (NumberFormatException notANumber) {
      throw new IllegalArgumentException(
          "label extent margin '" + e.substring(plus + 1) + "' is not a number of mm, e.g. +10mm");
    }
  }

  private static Set<LabelledStructure> parseClasses(String classes) {
    if (classes == null || classes.isBlank() || classes.trim().equalsIgnoreCase("all")) {
      return COMPLETE.classes();
    }
    Set<LabelledStructure> set = EnumSet.noneOf(LabelledStructure.class);
    for (String word : classes.split("[,;\\s]+")) {
      if (!word.isBlank()) {
        set.add(LabelledStructure.parse(word));
      }
    }
    return set;
  }

  /** True when this is a complete label (every class, whole image). */
  public boolean complete() {
    return equals(COMPLETE);
  }

  /** The declaration of the classes, e.g. {@code all} or {@code discs}. */
  public String classesDeclaration() {
    if (classes.equals(COMPLETE.classes())) {
      return "all";
    }
    return classes.stream().map(LabelledStructure::declaration).collect(Collectors.joining(","));
  }

  /** The declaration of the extent, e.g. {@code whole-image} or {@code labelled-span+10mm}. */
  public String extentDeclaration() {
    if (marginMm == 0) {
      return extent.declaration();
    }
    return extent.declaration() + "+" + formatMm(marginMm) + "mm";
  }

  /** True when a 0 in the mask is background for {@code spineClass}. */
  public boolean completelyLabels(SpineClass spineClass) {
    return classes.stream()
        .anyMatch(s -> s != LabelledStructure.VERTEBRAL_BODIES && s.spineClass() == spineClass);
  }

  private static String formatMm(double mm) {
    return mm == Math.rint(mm) ? Long.toString((long) mm) : Double.toString(mm);
  }

  @Override
  public String toString() {
    return classesDeclaration() + " over " + extentDeclaration();
  }
}
