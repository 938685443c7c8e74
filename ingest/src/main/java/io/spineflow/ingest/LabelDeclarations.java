package io.spineflow.ingest;

import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.platform.LabelEvents;

/**
 * The label declarations of every door (upload headers, HTTP fields, folder sidecars and manifests,
 * {@code push} options): read as {@link LabelCoverage}, refused as {@link
 * IngestReason#INVALID_LABEL_DECLARATION}, and carried into {@code Study.labelCoverage}.
 */
final class LabelDeclarations {
  /** What a classes declaration accepts, for a rejection's {@code limit}. */
  static final String CLASSES_ACCEPTED =
      "all, or a comma list of " + LabelledStructure.declarations();

  /** What an extent declaration accepts, for a rejection's {@code limit}. */
  static final String EXTENT_ACCEPTED =
      "whole-image, labelled-span or labelled-span+MARGINmm (0.."
          + (int) LabelCoverage.MAX_MARGIN_MM
          + " mm)";

  private LabelDeclarations() {}

  /**
   * Reads a declaration given as text.
   *
   * @param classes the classes declaration, null or blank when absent
   * @param extent the extent declaration, null or blank when absent
   * @param classesField the header or field {@code classes} came in, named by a rejection
   * @param extentField the header or field {@code extent} came in
   * @return null when neither is given (a complete label, or no label at all)
   * @throws IngestRejection {@code INVALID_LABEL_DECLARATION} naming the field at fault
   */
  static LabelCoverage parse(String classes, String extent, String classesField, String extentField)
      throws IngestRejection {
    if (blank(classes) && blank(extent)) {
      return null;
    }
    try {
      LabelCoverage.parse(classes, null);
    } catch (IllegalArgumentException e) {
      throw invalid(classesField, CLASSES_ACCEPTED, classesField + ": " + e.getMessage());
    }
    try {
      return LabelCoverage.parse(classes, extent);
    } catch (IllegalArgumentException e) {
      throw invalid(extentField, EXTENT_ACCEPTED, extentField + ": " + e.getMessage());
    }
  }

  /**
   * A declaration describes a mask: on a study without one it is a mistake (a mask not sent, or a
   * declaration meant for another study), refused rather than dropped.
   *
   * @throws IngestRejection {@code INVALID_LABEL_DECLARATION} naming {@code field}
   */
  static void requireMask(LabelCoverage coverage, boolean hasMask, String field)
      throws IngestRejection {
    if (coverage != null && !hasMask) {
      throw invalid(
          field,
          "only on a study with a label mask",
          field + " declares labelled classes (" + coverage + ") but the study has no mask");
    }
  }

  static IngestRejection invalid(String field, String limit, String message) {
    return new IngestRejection(IngestReason.INVALID_LABEL_DECLARATION, field, limit, message);
  }

  /** The {@code Study.labelCoverage} of a declaration: null when absent or complete. */
  static io.spineflow.events.LabelCoverage toEvent(LabelCoverage coverage) {
    return LabelEvents.toEvent(coverage);
  }

  /**
   * A key for idempotency: the same content with another declaration is a new revision (a corrected
   * declaration must reach {@code studies}); empty for no declaration, so earlier hashes still
   * match.
   */
  static String revisionSuffix(LabelCoverage coverage) {
    return coverage == null
        ? ""
        : "|" + coverage.classesDeclaration() + "|" + coverage.extentDeclaration();
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
