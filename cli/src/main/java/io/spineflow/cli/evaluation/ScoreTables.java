package io.spineflow.cli.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spineflow.imaging.metrics.MetricSummary;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToLongFunction;

/** Renders {@link ScoreRow}s, as Markdown and JSON, the same for one run and for folds. */
final class ScoreTables {
  private ScoreTables() {}

  /**
   * A Markdown table with a column per metric some row has: Set, Structure, {@code countHeading},
   * then "mean ± SD", with "(n=…)" where a metric's count differs from {@code expected}.
   */
  static String markdown(
      String countHeading, List<ScoreRow> rows, ToLongFunction<ScoreRow> expected) {
    Set<ScopedMetric> columns = EnumSet.noneOf(ScopedMetric.class);
    rows.forEach(r -> columns.addAll(r.metrics().keySet()));
    StringBuilder md = new StringBuilder("| Set | Structure | " + countHeading + " |");
    columns.forEach(m -> md.append(' ').append(m.heading()).append(" |"));
    md.append("\n|---|---|---:|").append("---:|".repeat(columns.size())).append('\n');
    for (ScoreRow row : rows) {
      md.append("| ")
          .append(row.set().replace("|", "\\|"))
          .append(" | ")
          .append(row.structure())
          .append(" | ")
          .append(row.slices())
          .append(" |");
      for (ScopedMetric m : columns) {
        md.append(' ').append(cell(row.metrics().get(m), expected.applyAsLong(row))).append(" |");
      }
      md.append('\n');
    }
    return md.toString();
  }

  /** One row as JSON: set, structure, count and per metric key {mean, sd, count}. */
  static void json(ObjectNode node, ScoreRow row) {
    node.put("set", row.set());
    node.put("structure", row.structure());
    node.put("slices", row.slices());
    ObjectNode metrics = node.putObject("metrics");
    row.metrics()
        .forEach(
            (m, s) -> {
              ObjectNode summary = metrics.putObject(m.key());
              number(summary, "mean", s.mean());
              number(summary, "sd", s.sd());
              summary.put("count", s.count());
            });
  }

  static String cell(MetricSummary s, long count) {
    if (s == null || s.count() == 0) {
      return "–";
    }
    String text = String.format(Locale.ROOT, "%.4f", s.mean());
    if (!Double.isNaN(s.sd())) {
      text += String.format(Locale.ROOT, " ± %.4f", s.sd());
    }
    if (s.count() != count) {
      text += " (n=" + s.count() + ")";
    }
    return text;
  }

  private static void number(ObjectNode node, String field, double value) {
    if (Double.isNaN(value)) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }
}
