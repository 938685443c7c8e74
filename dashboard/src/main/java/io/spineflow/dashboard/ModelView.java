package io.spineflow.dashboard;

import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.TrainingProgress;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model version as the evaluation table shows it.
 *
 * @param status PROMOTED or ROLLBACK (from {@code models}), REJECTED or EVALUATED (a candidate the
 *     trainer reported on {@code training} that was never announced)
 * @param at when it was announced (or evaluated)
 * @param validationMetrics e.g. {@code dice.vertebrae}, {@code miou}
 * @param architecture e.g. {@code modified-unet w16 d4 128×128}; empty for a candidate
 * @param parentVersion the version it was trained from, or null
 * @param trainingStudies studies in its training set (0 when unknown)
 * @param sha256 the first 12 hex digits of its weights' SHA-256, or empty
 * @param message why a candidate was rejected, or empty
 */
public record ModelView(
    String modelName,
    int version,
    String status,
    long at,
    Map<String, Double> validationMetrics,
    String architecture,
    Integer parentVersion,
    int trainingStudies,
    String sha256,
    String message) {

  public ModelView {
    validationMetrics = new TreeMap<>(validationMetrics == null ? Map.of() : validationMetrics);
  }

  static ModelView of(ModelAnnouncement a) {
    var arch = a.getArchitecture();
    String architecture =
        arch == null
            ? ""
            : arch.getVariant()
                + " · width "
                + arch.getBaseWidth()
                + " · depth "
                + arch.getDepth()
                + " · "
                + arch.getInputWidth()
                + "×"
                + arch.getInputHeight();
    String sha = a.getSha256() == null ? "" : a.getSha256();
    return new ModelView(
        a.getModelName(),
        a.getVersion(),
        a.getKind().name(),
        a.getAnnouncedAt().toEpochMilli(),
        a.getValidationMetrics(),
        architecture,
        a.getLineage() == null ? null : a.getLineage().getParentVersion(),
        a.getLineage() == null ? 0 : a.getLineage().getTrainingStudies().size(),
        sha.substring(0, Math.min(12, sha.length())),
        "");
  }

  /** A candidate the trainer evaluated (and maybe rejected), never announced. */
  static ModelView candidate(TrainingProgress t) {
    return new ModelView(
        t.getModelName(),
        t.getCandidateVersion(),
        t.getPhase().name(),
        t.getAt().toEpochMilli(),
        t.getValidationDice(),
        "",
        null,
        0,
        "",
        DeadLetterView.cut(t.getMessage()));
  }
}
