package io.spineflow.imaging.metrics;

import java.util.OptionalDouble;

/**
 * Quality of one class on one slice, against its label.
 *
 * <p><b>NaN means undefined</b> (the MONAI / {@code surface-distance} convention, so the value can
 * be skipped in means; {@link #value(Metric)} gives it as an {@link OptionalDouble}):
 *
 * <ul>
 *   <li>class absent from both prediction and label: every metric is NaN. Nothing was there to find
 *       and nothing was found; a perfect 1 would inflate means with slices that say nothing about
 *       the class, a 0 would punish a correct answer.
 *   <li>class in exactly one of them: Dice, IoU, precision, recall, F1 and NSD are 0 (a miss or a
 *       pure false positive; a 0/0 ratio counts as 0, like scikit-learn's {@code zero_division=0});
 *       ASD and HD95 are NaN, since there is no surface to measure a distance to.
 *   <li>otherwise every value is defined.
 * </ul>
 *
 * <p>On one slice F1 (harmonic mean of precision and recall) equals Dice exactly; both are kept
 * because the papers report both, and their means over slices agree too.
 *
 * @param classId the class, 0..3 (see {@link SpineClass})
 * @param labelPixels pixels of the class in the label, |G|
 * @param predictedPixels pixels of the class in the prediction, |P|
 * @param truePositives pixels of the class in both, |P ∩ G|
 * @param dice 2|P ∩ G| / (|P| + |G|)
 * @param iou |P ∩ G| / |P ∪ G| (Jaccard)
 * @param precision |P ∩ G| / |P|
 * @param recall |P ∩ G| / |G|
 * @param f1 2 · precision · recall / (precision + recall)
 * @param asdMm average symmetric surface distance in mm: the mean, over the boundary pixels of both
 *     prediction and label, of the distance to the nearest boundary pixel of the other (Ahmed et
 *     al.'s ASD; MONAI's symmetric surface distance)
 * @param nsd normalised surface Dice at {@code nsdToleranceMm}: the fraction of the boundary pixels
 *     of both that lie within the tolerance (inclusive) of the other's boundary (Nikolov et al.;
 *     {@code surface-distance}'s surface Dice)
 * @param hd95Mm 95th-percentile Hausdorff distance in mm: the larger of the two directed 95th
 *     percentiles (prediction→label, label→prediction), each with linear interpolation between
 *     order statistics (MONAI's {@code percentile=95}, numpy's default percentile)
 * @param nsdToleranceMm the tolerance τ the NSD was computed with
 */
public record ClassMetrics(
    int classId,
    long labelPixels,
    long predictedPixels,
    long truePositives,
    double dice,
    double iou,
    double precision,
    double recall,
    double f1,
    double asdMm,
    double nsd,
    double hd95Mm,
    double nsdToleranceMm) {

  public ClassMetrics {
    SpineClass.of(classId);
    if (truePositives < 0 || truePositives > Math.min(labelPixels, predictedPixels)) {
      throw new IllegalArgumentException(
          "truePositives must be in [0, min(labelPixels, predictedPixels)]: " + truePositives);
    }
  }

  /** The class as an enum. */
  public SpineClass spineClass() {
    return SpineClass.of(classId);
  }

  /** Whether the label contains the class. */
  public boolean inLabel() {
    return labelPixels > 0;
  }

  /** Whether the prediction contains the class. */
  public boolean inPrediction() {
    return predictedPixels > 0;
  }

  /** Whether the surface distances (ASD, HD95) are defined: the class is in both. */
  public boolean hasSurfaces() {
    return inLabel() && inPrediction();
  }

  /** {@code metric}'s value; empty when it is undefined (NaN). */
  public OptionalDouble value(Metric metric) {
    double v = metric.of(this);
    return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }
}
