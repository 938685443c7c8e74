package io.spineflow.imaging.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The papers' evaluation table: per-slice {@link ClassMetrics} aggregated by (sequence, class) into
 * mean ± sample standard deviation and count for every {@link Metric}, laid out like Ahmed et al.'s
 * Table 2 (a row per sequence and class; columns IoU, Dice, ASD, NSD, precision, recall, F1, then
 * HD95), followed by Silveira et al.'s mIoU per sequence. With more than one sequence, rows for all
 * sequences together ({@value #ALL_SEQUENCES}) follow.
 *
 * <p>Undefined (NaN) values are skipped, so each metric has its own count: a class absent from both
 * prediction and label adds nothing, a class present in only one adds zeros to the overlap metrics
 * but nothing to ASD and HD95. Sequences are listed in natural string order and classes by id, so
 * the output does not depend on the order slices arrive in.
 *
 * <p>Not thread-safe: fill it from one thread (or synchronise), then render.
 */
public final class EvaluationTable {
  /** The sequence label of the rows that pool every sequence; not accepted as a sequence name. */
  public static final String ALL_SEQUENCES = "all";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, Map<Integer, RowAccumulator>> bySequence = new TreeMap<>();
  private final Map<Integer, RowAccumulator> pooled = new TreeMap<>();
  private double nsdToleranceMm = Double.NaN;

  /**
   * One row of the table.
   *
   * @param sequence the sequence, or {@value #ALL_SEQUENCES}
   * @param classId the class, 0..3
   * @param slices the number of {@link ClassMetrics} added for this sequence and class
   * @param metrics the summary of every metric, in {@link Metric} order
   */
  public record Row(String sequence, int classId, long slices, Map<Metric, MetricSummary> metrics) {
    public Row {
      metrics = Collections.unmodifiableMap(new EnumMap<>(metrics));
    }

    public SpineClass spineClass() {
      return SpineClass.of(classId);
    }

    public MetricSummary get(Metric metric) {
      return metrics.get(metric);
    }
  }

  /**
   * Adds one slice's metrics of one class.
   *
   * @param sequence e.g. {@code T1}, {@code T2}, {@code T2_SPACE}; not {@value #ALL_SEQUENCES}
   * @throws IllegalArgumentException when the NSD tolerance differs from earlier additions, which
   *     would make the NSD column meaningless
   */
  public void add(String sequence, ClassMetrics metrics) {
    Objects.requireNonNull(sequence, "sequence");
    Objects.requireNonNull(metrics, "metrics");
    if (sequence.isBlank() || sequence.equalsIgnoreCase(ALL_SEQUENCES)) {
      throw new IllegalArgumentException("not a sequence name: '" + sequence + "'");
    }
    if (Double.isNaN(nsdToleranceMm)) {
      nsdToleranceMm = metrics.nsdToleranceMm();
    } else if (Double.compare(nsdToleranceMm, metrics.nsdToleranceMm()) != 0) {
      throw new IllegalArgumentException(
          "NSD tolerance "
              + metrics.nsdToleranceMm()
              + " mm differs from the table's "
              + nsdToleranceMm
              + " mm");
    }
    bySequence
        .computeIfAbsent(sequence, s -> new TreeMap<>())
        .computeIfAbsent(metrics.classId(), c -> new RowAccumulator())
        .add(metrics);
    pooled.computeIfAbsent(metrics.classId(), c -> new RowAccumulator()).add(metrics);
  }

  /** Adds every element of {@code metrics} (e.g. one slice's classes). */
  public void addAll(String sequence, Collection<ClassMetrics> metrics) {
    metrics.forEach(m -> add(sequence, m));
  }

  /** The NSD tolerance of the metrics added, in mm; NaN while the table is empty. */
  public double nsdToleranceMm() {
    return nsdToleranceMm;
  }

  /**
   * The rows: every sequence in natural order, classes by id; then, when there is more than one
   * sequence, the {@value #ALL_SEQUENCES} rows. Empty for an empty table.
   */
  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    bySequence.forEach((sequence, classes) -> addRows(rows, sequence, classes));
    if (bySequence.size() > 1) {
      addRows(rows, ALL_SEQUENCES, pooled);
    }
    return List.copyOf(rows);
  }

  /**
   * Silveira et al.'s mIoU for {@code sequence} (or {@value #ALL_SEQUENCES}): the mean over its
   * classes of each class's mean IoU. Over the four classes when background was added, as in the
   * paper. Empty when the sequence is unknown or no IoU is defined.
   */
  public OptionalDouble meanIou(String sequence) {
    Map<Integer, RowAccumulator> classes =
        ALL_SEQUENCES.equals(sequence) ? pooled : bySequence.get(sequence);
    if (classes == null) {
      return OptionalDouble.empty();
    }
    return classes.values().stream()
        .mapToDouble(r -> r.summary(Metric.IOU).mean())
        .filter(v -> !Double.isNaN(v))
        .average();
  }

  /** The table as GitHub-flavoured Markdown: the metric table, then mIoU per sequence. */
  public String toMarkdown() {
    List<Row> rows = rows();
    StringBuilder md = new StringBuilder();
    md.append("| Sequence | Class | Slices |");
    for (Metric m : Metric.values()) {
      md.append(' ').append(heading(m)).append(m.higherIsBetter() ? " ↑" : " ↓").append(" |");
    }
    md.append("\n|---|---|---:|");
    md.append("---:|".repeat(Metric.values().length)).append('\n');
    for (Row row : rows) {
      md.append("| ")
          .append(escape(row.sequence()))
          .append(" | ")
          .append(row.spineClass().displayName())
          .append(" | ")
          .append(row.slices())
          .append(" |");
      for (Metric m : Metric.values()) {
        md.append(' ').append(cell(row.get(m), row.slices())).append(" |");
      }
      md.append('\n');
    }
    md.append("\n| Sequence | Classes | mIoU |\n|---|---:|---:|\n");
    List<String> sequences = new ArrayList<>(bySequence.keySet());
    if (bySequence.size() > 1) {
      sequences.add(ALL_SEQUENCES);
    }
    for (String sequence : sequences) {
      Map<Integer, RowAccumulator> classes =
          ALL_SEQUENCES.equals(sequence) ? pooled : bySequence.get(sequence);
      OptionalDouble miou = meanIou(sequence);
      md.append("| ")
          .append(escape(sequence))
          .append(" | ")
          .append(classes.size())
          .append(" | ")
          .append(miou.isPresent() ? format(miou.getAsDouble()) : "–")
          .append(" |\n");
    }
    md.append(
        "\nMean ± sample SD over slices. Undefined values are skipped (a class absent from both"
            + " prediction and label; ASD and HD95 when it is absent from either); (n=…) gives"
            + " their count when it differs from the slices.");
    if (!Double.isNaN(nsdToleranceMm)) {
      md.append(" NSD at τ = ").append(plain(nsdToleranceMm)).append(" mm.");
    }
    md.append('\n');
    return md.toString();
  }

  /**
   * The table as a JSON tree: {@code nsdToleranceMm} (null while empty), {@code rows} (sequence,
   * classId, className, slices, and per metric key {@code {mean, sd, count}}, undefined numbers as
   * null) and {@code meanIou} by sequence.
   */
  public ObjectNode toJsonTree() {
    ObjectNode root = JSON.createObjectNode();
    putNumber(root, "nsdToleranceMm", nsdToleranceMm);
    ArrayNode rows = root.putArray("rows");
    for (Row row : rows()) {
      ObjectNode r = rows.addObject();
      r.put("sequence", row.sequence());
      r.put("classId", row.classId());
      r.put("className", row.spineClass().displayName());
      r.put("slices", row.slices());
      ObjectNode metrics = r.putObject("metrics");
      for (Metric m : Metric.values()) {
        MetricSummary s = row.get(m);
        ObjectNode summary = metrics.putObject(m.key());
        putNumber(summary, "mean", s.mean());
        putNumber(summary, "sd", s.sd());
        summary.put("count", s.count());
      }
    }
    ObjectNode miou = root.putObject("meanIou");
    bySequence.keySet().forEach(s -> putNumber(miou, s, meanIou(s).orElse(Double.NaN)));
    if (bySequence.size() > 1) {
      putNumber(miou, ALL_SEQUENCES, meanIou(ALL_SEQUENCES).orElse(Double.NaN));
    }
    return root;
  }

  /** {@link #toJsonTree()} as indented text. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(toJsonTree());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // cannot happen for a tree of plain nodes
    }
  }

  private static void addRows(
      List<Row> rows, String sequence, Map<Integer, RowAccumulator> byClass) {
    byClass.forEach(
        (classId, acc) -> rows.add(new Row(sequence, classId, acc.slices, acc.summaries())));
  }

  private String heading(Metric m) {
    if (m == Metric.NSD && !Double.isNaN(nsdToleranceMm)) {
      return "NSD (τ = " + plain(nsdToleranceMm) + " mm)";
    }
    return m.heading();
  }

  private static String cell(MetricSummary s, long slices) {
    if (s.count() == 0) {
      return "–";
    }
    String text = format(s.mean());
    if (!Double.isNaN(s.sd())) {
      text += " ± " + format(s.sd());
    }
    if (s.count() != slices) {
      text += " (n=" + s.count() + ")";
    }
    return text;
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static String plain(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static String escape(String text) {
    return text.replace("|", "\\|");
  }

  private static void putNumber(ObjectNode node, String field, double value) {
    if (Double.isNaN(value)) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  /** The running summaries of one (sequence, class). */
  private static final class RowAccumulator {
    private final Map<Metric, MetricSummary.Accumulator> accumulators = new EnumMap<>(Metric.class);
    private long slices;

    RowAccumulator() {
      for (Metric m : Metric.values()) {
        accumulators.put(m, new MetricSummary.Accumulator());
      }
    }

    void add(ClassMetrics metrics) {
      slices++;
      accumulators.forEach((m, acc) -> acc.add(m.of(metrics)));
    }

    MetricSummary summary(Metric m) {
      return accumulators.get(m).summary();
    }

    Map<Metric, MetricSummary> summaries() {
      Map<Metric, MetricSummary> summaries = new EnumMap<>(Metric.class);
      accumulators.forEach((m, acc) -> summaries.put(m, acc.summary()));
      return summaries;
    }
  }
}
