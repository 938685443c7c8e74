package io.spineflow.imaging.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Anatomical plausibility of a predicted sagittal mask, without a label. Rows run superior (row 0)
 * to inferior. Components are 8-connected; components smaller than the rules' speck size are
 * ignored everywhere, so isolated noise pixels neither break nor satisfy a check.
 *
 * <p>The checks describe a slice through the spine; slices far lateral (no canal, few or no
 * vertebrae) fail them by nature. The score is therefore a signal to compare against a reference
 * distribution (drift), not a verdict on a single slice.
 *
 * @param canalConnected the spinal canal forms exactly one component (false when absent)
 * @param discsBetweenVertebrae every disc has vertebra above and below it along the rows, in at
 *     least the rules' fraction of its columns; a column where the disc touches the top (bottom)
 *     image edge counts as supported above (below), since the field of view hides what lies beyond,
 *     and the most inferior disc may lack vertebra below (by default: SPIDER does not label the
 *     sacrum); true when there is no disc
 * @param vertebraeCountPlausible the number of vertebra components is within the rules' range
 * @param canalComponents number of (non-speck) canal components
 * @param vertebraComponents number of (non-speck) vertebra components
 * @param discComponents number of (non-speck) disc components
 * @param unsupportedDiscs discs failing the between-vertebrae test
 * @param score fraction of the three checks passed: 0, 1/3, 2/3 or 1
 */
public record PlausibilityReport(
    boolean canalConnected,
    boolean discsBetweenVertebrae,
    boolean vertebraeCountPlausible,
    int canalComponents,
    int vertebraComponents,
    int discComponents,
    int unsupportedDiscs,
    double score) {

  /** The checks by name, in declaration order: for logs, metrics and the dashboard. */
  public Map<String, Boolean> checks() {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    checks.put("canalConnected", canalConnected);
    checks.put("discsBetweenVertebrae", discsBetweenVertebrae);
    checks.put("vertebraeCountPlausible", vertebraeCountPlausible);
    return checks;
  }

  /**
   * Assesses {@code predicted} (row-major class values 0..3; other values are no class).
   *
   * @throws IllegalArgumentException when the size does not match
   */
  public static PlausibilityReport assess(
      byte[] predicted, int width, int height, PlausibilityRules rules) {
    Objects.requireNonNull(predicted, "predicted");
    Objects.requireNonNull(rules, "rules");
    SegmentationMetrics.requireSize(width, height, predicted.length, "predicted");
    int minPixels = rules.minComponentPixels(predicted.length);

    ConnectedComponents components = ConnectedComponents.of(predicted, width, height);
    int canalCount = components.countAtLeast(SpineClass.SPINAL_CANAL.id(), minPixels);
    int vertebraCount = components.countAtLeast(SpineClass.VERTEBRAE.id(), minPixels);
    int discCount = components.countAtLeast(SpineClass.DISCS.id(), minPixels);
    int unsupported = unsupportedDiscs(components, width, height, minPixels, rules);

    boolean canalConnected = canalCount == 1;
    boolean discsBetween = unsupported == 0;
    boolean countPlausible =
        vertebraCount >= rules.minVertebrae() && vertebraCount <= rules.maxVertebrae();
    int passed = (canalConnected ? 1 : 0) + (discsBetween ? 1 : 0) + (countPlausible ? 1 : 0);
    return new PlausibilityReport(
        canalConnected,
        discsBetween,
        countPlausible,
        canalCount,
        vertebraCount,
        discCount,
        unsupported,
        passed / 3.0);
  }

  private static int unsupportedDiscs(
      ConnectedComponents components,
      int width,
      int height,
      int minPixels,
      PlausibilityRules rules) {
    int vertebra = SpineClass.VERTEBRAE.id();
    int disc = SpineClass.DISCS.id();
    // Per column: the highest and lowest vertebra row, and each disc's highest and lowest row.
    int[] vertebraTop = new int[width];
    int[] vertebraBottom = new int[width];
    Arrays.fill(vertebraTop, Integer.MAX_VALUE);
    Arrays.fill(vertebraBottom, Integer.MIN_VALUE);
    int[] discSlot = new int[components.count()]; // component → index among significant discs
    int discs = 0;
    for (int k = 0; k < components.count(); k++) {
      boolean significantDisc = components.classOf(k) == disc && components.size(k) >= minPixels;
      discSlot[k] = significantDisc ? discs++ : -1;
    }
    if (discs == 0) {
      return 0;
    }
    int[] discTop = new int[discs * width];
    int[] discBottom = new int[discs * width];
    Arrays.fill(discTop, Integer.MAX_VALUE);
    Arrays.fill(discBottom, Integer.MIN_VALUE);
    int[] lowestRow = new int[discs];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int k = components.at(x, y);
        if (k < 0 || components.size(k) < minPixels) {
          continue; // background or a speck
        }
        if (components.classOf(k) == vertebra) {
          vertebraTop[x] = Math.min(vertebraTop[x], y);
          vertebraBottom[x] = Math.max(vertebraBottom[x], y);
        } else if (discSlot[k] >= 0) {
          int d = discSlot[k];
          discTop[d * width + x] = Math.min(discTop[d * width + x], y);
          discBottom[d * width + x] = Math.max(discBottom[d * width + x], y);
          lowestRow[d] = y; // rows ascend, so the last row seen is the lowest
        }
      }
    }
    int lowest = 0; // the disc reaching furthest down: L5/S1 when the slice shows it
    for (int d = 1; d < discs; d++) {
      if (lowestRow[d] > lowestRow[lowest]) {
        lowest = d;
      }
    }

    int unsupported = 0;
    for (int d = 0; d < discs; d++) {
      int columns = 0;
      int above = 0;
      int below = 0;
      for (int x = 0; x < width; x++) {
        int top = discTop[d * width + x];
        if (top == Integer.MAX_VALUE) {
          continue;
        }
        int bottom = discBottom[d * width + x];
        columns++;
        // Where the disc reaches the image edge the field of view hides what lies beyond it.
        above += vertebraTop[x] < top || top == 0 ? 1 : 0;
        below += vertebraBottom[x] > bottom || bottom == height - 1 ? 1 : 0;
      }
      double needed = rules.minDiscColumnSupport() * columns;
      boolean belowExcused = d == lowest && rules.lowestDiscMayLackVertebraBelow();
      if (above < needed || (below < needed && !belowExcused)) {
        unsupported++;
      }
    }
    return unsupported;
  }
}
