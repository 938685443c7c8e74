package io.spineflow.imaging.levels;

import java.util.List;
import java.util.Optional;

/** Plausibility flags over the named levels: count, order, lumbosacral transition. */
final class Checks {
  private Checks() {}

  static void levels(List<Level> levels, int discs, List<String> flags) {
    if (discs < LevelAnalyzer.MIN_DISCS) {
      flags.add(
          LevelFlag.LEVEL_COUNT_LOW.with(
              discs + " discs found, fewer than " + LevelAnalyzer.MIN_DISCS));
    } else if (discs > LevelAnalyzer.MAX_DISCS) {
      flags.add(
          LevelFlag.LEVEL_COUNT_HIGH.with(
              discs
                  + " discs found, more than "
                  + LevelAnalyzer.MAX_DISCS
                  + ": names above L1/L2 are counted, not verified"));
    }
    int outOfOrder = 0;
    for (int k = 0; k < levels.size(); k++) {
      Level l = levels.get(k);
      if (l.found() && l.isDisc() && !betweenBodies(levels, k)) {
        outOfOrder++;
      }
    }
    if (outOfOrder > 0) {
      flags.add(LevelFlag.ORDER.with(outOfOrder + " discs not between two vertebral bodies"));
    }
    transition(levels, flags);
  }

  /**
   * Flags disc {@code k} unless a found body (the sacrum counts below L5/S1, and nothing below
   * L5/S1 is fine since the sacrum is usually unlabelled) lies next to it on both sides.
   */
  private static boolean betweenBodies(List<Level> levels, int k) {
    Level disc = levels.get(k);
    String below = k == 0 ? "nothing" : describe(levels.get(k - 1));
    String above = k == levels.size() - 1 ? "nothing" : describe(levels.get(k + 1));
    boolean belowOk = k == 0 ? "L5/S1".equals(disc.name) : isBody(levels.get(k - 1));
    boolean aboveOk = k < levels.size() - 1 && isBody(levels.get(k + 1));
    if (belowOk && aboveOk) {
      return true;
    }
    disc.flags.add(
        LevelFlag.ORDER.with("disc not between two bodies: below " + below + ", above " + above));
    return false;
  }

  private static boolean isBody(Level l) {
    return l.found() && !l.isDisc();
  }

  private static String describe(Level l) {
    return (l.found() ? "" : "missing ") + l.name;
  }

  private static void transition(List<Level> levels, List<String> flags) {
    Optional<Level> lowest = named(levels, "L5/S1");
    Optional<Level> above = named(levels, "L4/L5");
    if (lowest.isEmpty() || above.isEmpty()) {
      return;
    }
    Double low = lowest.get().heights[1];
    Double high = above.get().heights[1];
    if (low != null && high != null && low < LevelAnalyzer.TRANSITIONAL_RATIO * high) {
      String flag =
          LevelFlag.POSSIBLE_TRANSITIONAL.with(
              String.format(
                  "L5/S1 is %.0f%% of L4/L5's middle height (rudimentary disc of a sacralised L5"
                      + " or lumbarised S1?); numbering counts from the lowest labelled disc",
                  100 * low / high));
      lowest.get().flags.add(flag);
      flags.add(flag);
    }
  }

  private static Optional<Level> named(List<Level> levels, String name) {
    return levels.stream().filter(l -> l.found() && name.equals(l.name)).findFirst();
  }
}
