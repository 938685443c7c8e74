package io.spineflow.cli.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spineflow.imaging.metrics.MetricSummary;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cross-validated scores: each fold's {@link ScopedEvaluationTable} reduced to its means, and those
 * summarised over folds as mean ± sample SD (n = folds where the metric is defined). Every figure
 * is out of sample: a fold's means come only from studies its model never trained on.
 */
public final class FoldSummary {
  private final List<List<ScoreRow>> folds = new ArrayList<>();

  /** Adds the next fold's table. */
  public void add(ScopedEvaluationTable fold) {
    folds.add(fold.rows());
  }

  /** Folds added. */
  public int folds() {
    return folds.size();
  }

  /**
   * One row per (set, structure) seen in any fold, in first-seen order: its total scored slices
   * over folds and, per metric, the summary of the fold means.
   */
  public List<ScoreRow> rows() {
    Map<String, List<ScoreRow>> byKey = new LinkedHashMap<>();
    for (List<ScoreRow> fold : folds) {
      fold.forEach(r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
    }
    List<ScoreRow> rows = new ArrayList<>();
    for (List<ScoreRow> same : byKey.values()) {
      Map<ScopedMetric, List<Double>> means = new EnumMap<>(ScopedMetric.class);
      long slices = 0;
      for (ScoreRow r : same) {
        slices += r.slices();
        r.metrics()
            .forEach((m, s) -> means.computeIfAbsent(m, x -> new ArrayList<>()).add(s.mean()));
      }
      Map<ScopedMetric, MetricSummary> summaries = new EnumMap<>(ScopedMetric.class);
      means.forEach((m, v) -> summaries.put(m, ScopedEvaluationTable.summary(v)));
      rows.add(new ScoreRow(same.get(0).set(), same.get(0).structure(), slices, summaries));
    }
    return List.copyOf(rows);
  }

  /** The summary as Markdown: mean ± SD over folds, with the slices scored over all folds. */
  public String toMarkdown() {
    return ScoreTables.markdown("Slices (all folds)", rows(), r -> folds.size())
        + "\nMean ± SD over "
        + folds.size()
        + " folds of each fold's mean (n=… where a metric is defined in fewer folds); every"
        + " fold is scored by a model that never saw its studies.\n";
  }

  /** The summary as JSON: {@code folds} and {@code rows}. */
  public ObjectNode toJsonTree(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    root.put("folds", folds.size());
    ArrayNode rows = root.putArray("rows");
    rows().forEach(r -> ScoreTables.json(rows.addObject(), r));
    return root;
  }
}
