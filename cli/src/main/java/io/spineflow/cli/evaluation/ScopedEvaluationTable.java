package io.spineflow.cli.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spineflow.imaging.metrics.BodyCoverage;
import io.spineflow.imaging.metrics.ClassMetrics;
import io.spineflow.imaging.metrics.MetricSummary;
import io.spineflow.imaging.metrics.ScopedMetrics;
import io.spineflow.imaging.metrics.SpineClass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The evaluation table of partially labelled studies: per set and labelled class, Dice, IoU,
 * precision and recall (mean ± sample SD over the slices where the class is in the label or the
 * prediction, inside the labelled extent); for sets labelling vertebral bodies only, the recall of
 * body pixels and the predicted vertebra area ÷ labelled body area. A class a set does not label
 * has no row: its score is undefined, not 0.
 *
 * <p>Body figures are per <b>study</b>: the body, predicted and covered pixels of a study's scored
 * slices are summed, the two ratios taken once per study, then averaged over studies. A per-slice
 * ratio would let the lateral slices, where a body is a sliver, dominate.
 *
 * <p>With more than one set, {@value #POOLED} rows pool every slice and study. Sets are listed in
 * natural order and classes by id. Not thread-safe.
 */
public final class ScopedEvaluationTable {
  /** The set name of the rows that pool every set. */
  public static final String POOLED = "pooled";

  /** The structure name of the bodies-only row. */
  public static final String BODIES = "Vertebral bodies";

  private final Map<String, SetAccumulator> sets = new TreeMap<>();
  private final SetAccumulator pooled = new SetAccumulator();

  /**
   * Adds one slice's metrics, if it scores anything: a labelled class in the label or the
   * prediction, or a labelled body or predicted vertebra under a bodies-only label.
   *
   * @param set the study's set
   * @param study the study's name (body figures are per study)
   * @return true when the slice was scored
   */
  public boolean add(String set, String study, ScopedMetrics metrics) {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(study, "study");
    if (!scores(metrics)) {
      return false;
    }
    sets.computeIfAbsent(set, s -> new SetAccumulator()).add(study, metrics);
    pooled.add(set + "/" + study, metrics);
    return true;
  }

  /** True when {@code metrics} has a defined value. */
  static boolean scores(ScopedMetrics metrics) {
    boolean anyClass = metrics.classes().stream().anyMatch(m -> m.inLabel() || m.inPrediction());
    boolean anyBody =
        metrics
            .bodies()
            .map(b -> b.bodyPixels() > 0 || b.predictedVertebraPixels() > 0)
            .orElse(false);
    return anyClass || anyBody;
  }

  /** Slices scored in {@code set} (or {@value #POOLED}). */
  public long slices(String set) {
    SetAccumulator acc = POOLED.equals(set) ? pooled : sets.get(set);
    return acc == null ? 0 : acc.slices;
  }

  /** Studies with a scored slice in {@code set} (or {@value #POOLED}). */
  public int studies(String set) {
    SetAccumulator acc = POOLED.equals(set) ? pooled : sets.get(set);
    return acc == null ? 0 : acc.studies.size();
  }

  /** The sets, in natural order; then {@value #POOLED} when there is more than one. */
  public List<String> sets() {
    List<String> names = new ArrayList<>(sets.keySet());
    if (sets.size() > 1) {
      names.add(POOLED);
    }
    return names;
  }

  /** True when nothing was scored. */
  public boolean isEmpty() {
    return sets.isEmpty();
  }

  /** Every row: each set's classes by id, then its bodies row; then the pooled rows. */
  public List<ScoreRow> rows() {
    List<ScoreRow> rows = new ArrayList<>();
    sets.forEach((name, acc) -> acc.addRows(name, rows));
    if (sets.size() > 1) {
      pooled.addRows(POOLED, rows);
    }
    return List.copyOf(rows);
  }

  /** The table as GitHub-flavoured Markdown, with the studies and slices scored per set. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("| Set | Studies | Slices scored |\n|---|---:|---:|\n");
    for (String set : sets()) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %d |%n", set, studies(set), slices(set)));
    }
    md.append('\n').append(ScoreTables.markdown("Slices", rows(), ScoreRow::slices)).append('\n');
    md.append(
        "Only the classes each set labels, only inside its labelled extent. Dice, IoU, precision,"
            + " recall: mean ± SD over the slices where the class is in the label or the"
            + " prediction. Bodies-only labels: body recall and predicted vertebra ÷ labelled body"
            + " area per study (summed over its scored slices), mean ± SD over studies (n ="
            + " studies); posterior elements are unlabelled, so an area ratio above 1 is"
            + " expected.\n");
    return md.toString();
  }

  /** The table as JSON: {@code sets} (studies, slices) and {@code rows}. */
  public ObjectNode toJsonTree(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    ObjectNode setsNode = root.putObject("sets");
    for (String set : sets()) {
      ObjectNode s = setsNode.putObject(set);
      s.put("studies", studies(set));
      s.put("slices", slices(set));
    }
    ArrayNode rows = root.putArray("rows");
    rows().forEach(r -> ScoreTables.json(rows.addObject(), r));
    return root;
  }

  /**
   * The summary of {@code values} (NaN skipped), summed in ascending order for determinism: mean,
   * sample SD (NaN below 2 values) and count.
   */
  public static MetricSummary summary(List<Double> values) {
    double[] v =
        values.stream()
            .mapToDouble(Double::doubleValue)
            .filter(d -> !Double.isNaN(d))
            .sorted()
            .toArray();
    if (v.length == 0) {
      return new MetricSummary(Double.NaN, Double.NaN, 0);
    }
    double mean = Arrays.stream(v).sum() / v.length;
    if (v.length < 2) {
      return new MetricSummary(mean, Double.NaN, 1);
    }
    double squares = Arrays.stream(v).map(d -> (d - mean) * (d - mean)).sum();
    return new MetricSummary(mean, Math.sqrt(squares / (v.length - 1)), v.length);
  }

  /** The running values of one set. */
  private static final class SetAccumulator {
    private long slices;
    private final Map<String, long[]> studies = new LinkedHashMap<>();
    private final Map<SpineClass, ClassValues> classes = new EnumMap<>(SpineClass.class);
    private long bodySlices;

    void add(String study, ScopedMetrics metrics) {
      slices++;
      long[] bodies = studies.computeIfAbsent(study, s -> new long[3]);
      for (ClassMetrics m : metrics.classes()) {
        if (m.inLabel() || m.inPrediction()) {
          classes.computeIfAbsent(m.spineClass(), c -> new ClassValues()).add(m);
        }
      }
      if (metrics.bodies().isPresent()) {
        BodyCoverage b = metrics.bodies().get();
        if (b.bodyPixels() > 0 || b.predictedVertebraPixels() > 0) {
          bodySlices++;
          bodies[0] += b.bodyPixels();
          bodies[1] += b.predictedVertebraPixels();
          bodies[2] += b.coveredBodyPixels();
        }
      }
    }

    void addRows(String set, List<ScoreRow> rows) {
      classes.forEach(
          (c, values) -> rows.add(new ScoreRow(set, c.displayName(), values.slices, values.all())));
      if (bodySlices > 0) {
        List<Double> recall = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        for (long[] s : studies.values()) {
          BodyCoverage study = new BodyCoverage(s[0], s[1], s[2]);
          recall.add(study.recall());
          ratio.add(study.areaRatio());
        }
        Map<ScopedMetric, MetricSummary> m = new EnumMap<>(ScopedMetric.class);
        m.put(ScopedMetric.BODY_RECALL, summary(recall));
        m.put(ScopedMetric.AREA_RATIO, summary(ratio));
        rows.add(new ScoreRow(set, BODIES, bodySlices, m));
      }
    }
  }

  /** Per-slice values of one class. */
  private static final class ClassValues {
    private long slices;
    private final Map<ScopedMetric, List<Double>> values = new EnumMap<>(ScopedMetric.class);

    void add(ClassMetrics m) {
      slices++;
      values.computeIfAbsent(ScopedMetric.DICE, k -> new ArrayList<>()).add(m.dice());
      values.computeIfAbsent(ScopedMetric.IOU, k -> new ArrayList<>()).add(m.iou());
      values.computeIfAbsent(ScopedMetric.PRECISION, k -> new ArrayList<>()).add(m.precision());
      values.computeIfAbsent(ScopedMetric.RECALL, k -> new ArrayList<>()).add(m.recall());
    }

    Map<ScopedMetric, MetricSummary> all() {
      Map<ScopedMetric, MetricSummary> m = new EnumMap<>(ScopedMetric.class);
      values.forEach((k, v) -> m.put(k, summary(v)));
      return m;
    }
  }
}
