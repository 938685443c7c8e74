package io.spineflow.dashboard;

import io.spineflow.events.TrainingProgress;
import java.util.Map;
import java.util.TreeMap;

/** The latest training progress of a model, as the page shows it. */
public record TrainingView(
    String modelName,
    String runId,
    String phase,
    int epoch,
    int step,
    int totalSteps,
    Double loss,
    Map<String, Double> validationDice,
    Double etaSeconds,
    Integer candidateVersion,
    String message,
    long at) {

  public TrainingView {
    validationDice = new TreeMap<>(validationDice == null ? Map.of() : validationDice);
  }

  static TrainingView of(TrainingProgress t) {
    return new TrainingView(
        t.getModelName(),
        t.getRunId(),
        t.getPhase().name(),
        t.getEpoch(),
        t.getStep(),
        t.getTotalSteps(),
        t.getLoss(),
        t.getValidationDice(),
        t.getEtaSeconds(),
        t.getCandidateVersion(),
        DeadLetterView.cut(t.getMessage()),
        t.getAt().toEpochMilli());
  }
}
