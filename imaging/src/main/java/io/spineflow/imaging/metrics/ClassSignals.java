package io.spineflow.imaging.metrics;

/**
 * Label-free signals of one predicted class on one slice.
 *
 * @param classId the class, 0..3
 * @param areaFraction fraction of the slice's pixels predicted as this class, in [0, 1]
 * @param meanMaxProbability mean, over the pixels predicted as this class, of the largest class
 *     probability; NaN when no pixel is predicted as this class
 * @param meanEntropyNats mean predictive entropy (nats) over the pixels predicted as this class;
 *     NaN when no pixel is predicted as this class
 */
public record ClassSignals(
    int classId, double areaFraction, double meanMaxProbability, double meanEntropyNats) {

  public ClassSignals {
    SpineClass.of(classId);
  }

  /** The class as an enum. */
  public SpineClass spineClass() {
    return SpineClass.of(classId);
  }
}
