package io.spineflow.preprocess;

import io.spineflow.events.LabelScope;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.platform.LabelEvents;
import io.spineflow.preprocess.slicing.StudyRejectedException;

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
    try {
      return LabelEvents.coverage(event);
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
    return LabelEvents.toEvent(scope);
  }
}
