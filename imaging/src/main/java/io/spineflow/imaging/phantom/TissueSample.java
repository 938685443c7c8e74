package io.spineflow.imaging.phantom;

/**
 * What lies at one physical point: its tissue, a tissue-specific mix value (for a disc, how much of
 * a hydrated nucleus it is, 0 = annulus) and its provisional SPIDER label. Mutable and reused per
 * thread because the generator samples millions of points.
 */
final class TissueSample {
  Tissue tissue = Tissue.AIR;
  double mix;
  int label;

  TissueSample set(Tissue tissue, double mix, int label) {
    this.tissue = tissue;
    this.mix = mix;
    this.label = label;
    return this;
  }
}
