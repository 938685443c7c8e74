package io.spineflow.cli.evaluation;

import io.spineflow.imaging.metrics.MetricSummary;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One row of a partial-label table: a set and a structure, the slices that scored it, and the
 * summary of each metric it has (others are absent, never 0).
 *
 * @param set the study set, or {@value ScopedEvaluationTable#POOLED} for all sets together
 * @param structure e.g. {@code IVDs}, or {@value ScopedEvaluationTable#BODIES} for bodies-only
 *     vertebra labels
 * @param slices slices that scored this row (the class in label or prediction inside the extent)
 * @param metrics mean ± SD and count of each metric the row has
 */
public record ScoreRow(
    String set, String structure, long slices, Map<ScopedMetric, MetricSummary> metrics) {
  /** Freezes the map. */
  public ScoreRow {
    metrics =
        Collections.unmodifiableMap(
            metrics.isEmpty() ? new EnumMap<>(ScopedMetric.class) : new EnumMap<>(metrics));
  }

  /** The key rows of different tables (e.g. folds) are matched by. */
  public String key() {
    return set + "\t" + structure;
  }
}
