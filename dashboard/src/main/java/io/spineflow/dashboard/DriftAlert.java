package io.spineflow.dashboard;

/**
 * A drift alert: raised once per model version and kind, then kept with whether its condition still
 * holds.
 *
 * @param id {@code model|version|kind}
 * @param raisedAt event time it was first raised
 * @param message what happened, for a person
 * @param active whether the condition held at the last check
 * @param checkedAt event time of the last check
 * @param retrainRequestId the retrain request it published, or null when requests are off
 */
public record DriftAlert(
    String id,
    AlertKind kind,
    String modelName,
    int modelVersion,
    long raisedAt,
    String message,
    boolean active,
    long checkedAt,
    String retrainRequestId) {

  DriftAlert withActive(boolean now, long at) {
    return new DriftAlert(
        id, kind, modelName, modelVersion, raisedAt, message, now, at, retrainRequestId);
  }
}
