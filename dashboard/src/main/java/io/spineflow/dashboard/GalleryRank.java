package io.spineflow.dashboard;

/**
 * A gallery slice as the page lists it, and how bad it is.
 *
 * @param dice per class (index = class), NaN where undefined or unlabelled
 * @param meanDice mean over the defined foreground classes; NaN when none is defined
 * @param severity the ranking: {@code 2 − meanDice} for a slice with a defined Dice (in [1, 2]),
 *     else {@code 1 − meanMaxProbability} (below 1): the worst Dice first, then the least confident
 *     slices without one (unlabelled, or labelled only for classes undefined on this slice). A
 *     class the label leaves unlabelled never enters the mean: it cannot make a slice look worse.
 * @param labelledClasses per class: whether the label labels it (null in entries stored before
 *     partial labels: every class of a labelled slice)
 * @param bodyRecall recall of vertebral bodies labelled without posterior elements; NaN otherwise
 * @param bodyAreaRatio predicted vertebra area / labelled body area; NaN otherwise
 * @param at event time the mask was produced (also what makes its image URLs unique)
 */
public record GalleryRank(
    String key,
    String studyUid,
    int sliceIndex,
    String sequence,
    String modelName,
    int modelVersion,
    boolean labelled,
    double[] dice,
    double meanDice,
    double meanMaxProbability,
    double severity,
    long at,
    boolean[] labelledClasses,
    double bodyRecall,
    double bodyAreaRatio) {

  /** The severity of a slice's scores (see {@link GalleryRank}). */
  public static double severityOf(GalleryPart.Scores scores) {
    double mean = scores.meanDice();
    if (scores.labelled() && Double.isFinite(mean)) {
      return 2 - mean;
    }
    double confidence = scores.meanMaxProbability();
    return Double.isFinite(confidence) ? Math.max(0, Math.min(0.99, 1 - confidence)) : 0;
  }
}
