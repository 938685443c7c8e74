package io.spineflow.preprocess;

import io.spineflow.events.LabelScope;
import io.spineflow.events.LabelledClass;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.LabelExtent;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.preprocess.slicing.StudyRejectedException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The partial-label contract between the events ({@code Study.labelCoverage}, {@code
 * Slice.labelScope}) and imaging's types ({@link LabelCoverage}, {@link SliceLabelScope}).
 */
final class LabelContracts {
  /** A {@code Study.labelCoverage} that cannot be honoured (no known class, invalid margin). */
  static final String INVALID_LABEL_COVERAGE = "INVALID_LABEL_COVERAGE";

  private LabelContracts() {}

  /**
   * The declaration of a study's label.
   *
   * @return null for a complete label ({@code labelCoverage} null)
   * @throws StudyRejectedException {@value #INVALID_LABEL_COVERAGE} when no class this version
   *     knows is listed, both vertebrae and vertebral bodies are, or the margin is out of range
   */
  static LabelCoverage coverage(io.spineflow.events.LabelCoverage event) {
    if (event == null) {
      return null;
    }
    Set<LabelledStructure> classes = EnumSet.noneOf(LabelledStructure.class);
    for (LabelledClass c : event.getClasses()) {
      // OTHER is a symbol from a newer writer: treated as not labelled, as the schema says.
      if (c != LabelledClass.OTHER) {
        classes.add(LabelledStructure.valueOf(c.name()));
      }
    }
    try {
      return new LabelCoverage(
          classes, LabelExtent.valueOf(event.getExtent().name()), event.getExtentMarginMm());
    } catch (IllegalArgumentException e) {
      throw new StudyRejectedException(
          INVALID_LABEL_COVERAGE,
          "labelCoverage",
          "at least one of VERTEBRAE, VERTEBRAL_BODIES (not both), CANAL, DISCS; margin 0.."
              + (int) LabelCoverage.MAX_MARGIN_MM
              + " mm",
          "the label coverage cannot be used: " + e.getMessage());
    }
  }

  /** The {@code Slice.labelScope} of a slice scope; null for null (a complete label). */
  static LabelScope scope(SliceLabelScope scope) {
    if (scope == null) {
      return null;
    }
    List<LabelledClass> classes = new ArrayList<>();
    for (LabelledStructure s : scope.classes()) {
      classes.add(LabelledClass.valueOf(s.name()));
    }
    return LabelScope.newBuilder()
        .setClasses(classes)
        .setFirstRow(scope.firstRow())
        .setLastRow(scope.lastRow())
        .build();
  }
}
