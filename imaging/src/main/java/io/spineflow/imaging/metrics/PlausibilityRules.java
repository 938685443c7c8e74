package io.spineflow.imaging.metrics;

/**
 * Thresholds of the anatomical plausibility checks ({@link PlausibilityReport}).
 *
 * @param minComponentFraction components smaller than this fraction of the slice's pixels are
 *     specks and ignored by every check (default 0.0005: 8 pixels of a 128×128 slice, rounded); at
 *     least 1 pixel is always required
 * @param minVertebrae fewest vertebra components a plausible slice shows
 * @param maxVertebrae most vertebra components a plausible slice shows; a mid-sagittal slice shows
 *     5-9 bodies plus, as separate components, their spinous processes and a partly visible
 *     vertebra at the edge of the field of view (synthetic mid-sagittal slices show 10-15)
 * @param minDiscColumnSupport fraction of a disc's columns that must have vertebra above (and,
 *     separately, below) for the disc to count as lying between vertebrae
 * @param lowestDiscMayLackVertebraBelow excuse the most inferior disc from needing vertebra below:
 *     SPIDER does not label the sacrum, so L5/S1 sits on unlabelled bone
 */
public record PlausibilityRules(
    double minComponentFraction,
    int minVertebrae,
    int maxVertebrae,
    double minDiscColumnSupport,
    boolean lowestDiscMayLackVertebraBelow) {

  /** The defaults described above: 0.0005, 3..18 vertebra components, 0.5, true. */
  public static final PlausibilityRules DEFAULTS = new PlausibilityRules(0.0005, 3, 18, 0.5, true);

  public PlausibilityRules {
    if (!(minComponentFraction >= 0 && minComponentFraction < 1)) {
      throw new IllegalArgumentException(
          "minComponentFraction must be in [0, 1): " + minComponentFraction);
    }
    if (minVertebrae < 0 || maxVertebrae < minVertebrae) {
      throw new IllegalArgumentException(
          "need 0 <= minVertebrae <= maxVertebrae: " + minVertebrae + ", " + maxVertebrae);
    }
    if (!(minDiscColumnSupport > 0 && minDiscColumnSupport <= 1)) {
      throw new IllegalArgumentException(
          "minDiscColumnSupport must be in (0, 1]: " + minDiscColumnSupport);
    }
  }

  /** The speck threshold in pixels for a slice of {@code pixelCount} pixels; at least 1. */
  public int minComponentPixels(int pixelCount) {
    return (int) Math.max(1, Math.round(minComponentFraction * pixelCount));
  }
}
