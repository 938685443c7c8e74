package io.spineflow.results;

import io.spineflow.events.ClassMetrics;
import io.spineflow.events.Quality;
import io.spineflow.events.QualitySummary;
import io.spineflow.imaging.metrics.SpineClass;
import java.util.Map;
import java.util.TreeMap;

/** A study's quality summary from its slices' quality records. */
final class QualitySummaries {
  private QualitySummaries() {}

  static QualitySummary of(RevisionInputs in) {
    int slices = 0;
    int implausible = 0;
    int labelled = 0;
    double maxProbability = 0;
    Map<String, double[]> dice = new TreeMap<>();
    for (RevisionInputs.SliceInputs s : in.slices()) {
      Quality q = s.quality();
      if (q == null) {
        continue;
      }
      slices++;
      maxProbability += q.getMeanMaxProbability();
      if (q.getPlausibility().containsValue(false)) {
        implausible++;
      }
      if (!q.getClassMetrics().isEmpty()) {
        labelled++;
      }
      for (ClassMetrics m : q.getClassMetrics()) {
        if (m.getDice() != null && m.getClassIndex() > 0 && m.getClassIndex() < SpineClass.COUNT) {
          double[] sum =
              dice.computeIfAbsent(
                  StudyResultWriter.className(SpineClass.of(m.getClassIndex())),
                  k -> new double[2]);
          sum[0] += m.getDice();
          sum[1]++;
        }
      }
    }
    Map<String, Double> meanDice = new TreeMap<>();
    dice.forEach((name, sum) -> meanDice.put(name, sum[0] / sum[1]));
    return QualitySummary.newBuilder()
        .setSlices(slices)
        .setMeanMaxProbability(slices == 0 ? null : maxProbability / slices)
        .setImplausibleSlices(implausible)
        .setLabelledSlices(labelled)
        .setMeanDice(meanDice)
        .build();
  }
}
