package io.spineflow.imaging.levels;

/**
 * How the label values of a segmentation map to structures. Only the merged structure matters to
 * the analysis: levels are found as connected components, never read from label values, so a
 * model's four-class output and a SPIDER reference are analysed alike.
 */
public enum LabelScheme {
  /**
   * SPIDER values, as preprocess merges them: 1–99 and 101–199 vertebrae, 100 canal, 200–299 discs;
   * anything else (0, negative, 300+) is background.
   */
  SPIDER,
  /** preprocess's merged classes: 1 vertebrae, 2 canal, 3 discs, anything else background. */
  MERGED;

  Structure structureOf(double value) {
    if (value != Math.rint(value)) {
      return Structure.NONE;
    }
    int v = (int) value;
    if (this == MERGED) {
      return switch (v) {
        case 1 -> Structure.VERTEBRA;
        case 2 -> Structure.CANAL;
        case 3 -> Structure.DISC;
        default -> Structure.NONE;
      };
    }
    if (v == 100) {
      return Structure.CANAL;
    }
    if (v >= 1 && v < 200) {
      return Structure.VERTEBRA;
    }
    return v >= 200 && v < 300 ? Structure.DISC : Structure.NONE;
  }
}
