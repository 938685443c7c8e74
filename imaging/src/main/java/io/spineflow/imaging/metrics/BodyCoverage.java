package io.spineflow.imaging.metrics;

/**
 * How a prediction covers vertebral bodies labelled without their posterior elements: Dice would
 * punish the model for painting the (unlabelled) posterior elements, so bodies-only labels are
 * scored by the recall of body pixels and by how much larger the predicted vertebra area is.
 *
 * @param bodyPixels labelled body pixels inside the extent
 * @param predictedVertebraPixels pixels predicted as vertebra inside the extent
 * @param coveredBodyPixels labelled body pixels predicted as vertebra
 */
public record BodyCoverage(long bodyPixels, long predictedVertebraPixels, long coveredBodyPixels) {

  /** Recall of body pixels; NaN when no body is labelled. */
  public double recall() {
    return bodyPixels == 0 ? Double.NaN : (double) coveredBodyPixels / bodyPixels;
  }

  /** Predicted vertebra area / labelled body area; NaN when no body is labelled. */
  public double areaRatio() {
    return bodyPixels == 0 ? Double.NaN : (double) predictedVertebraPixels / bodyPixels;
  }
}
