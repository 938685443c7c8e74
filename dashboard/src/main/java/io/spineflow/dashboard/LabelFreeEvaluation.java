package io.spineflow.dashboard;

import java.util.List;

/**
 * The last evaluation of the label-free rule for one model version.
 *
 * @param evaluatedAt event time of the slice that triggered it
 * @param observations slices of the version seen by then
 * @param referenceSize slices in the reference
 * @param windowSize slices in the window
 * @param signals every signal's verdict
 * @param drifted how many signals drifted
 * @param firing {@code drifted >= minDriftedSignals}
 */
public record LabelFreeEvaluation(
    long evaluatedAt,
    long observations,
    int referenceSize,
    int windowSize,
    List<SignalVerdict> signals,
    int drifted,
    boolean firing) {

  public LabelFreeEvaluation {
    signals = List.copyOf(signals);
  }
}
