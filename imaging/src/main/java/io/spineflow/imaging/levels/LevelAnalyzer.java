package io.spineflow.imaging.levels;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.levels.LevelMeasurement.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Per-level analysis of a lumbar-spine label volume on its mid-sagittal slice (see the imaging
 * README, "Per-level analysis"): bodies and discs as connected components, ordered along a
 * centreline through their centroids, numbered from the lowest disc (L5/S1) upwards, measured in
 * millimetres and flagged. A pure function: the same volume always gives the same report.
 */
public final class LevelAnalyzer {
  /** Components smaller than this (mm² on the slice) are ignored, and counted in a flag. */
  public static final double MIN_AREA_MM2 = 20;

  /** Fewer discs than this is flagged {@link LevelFlag#LEVEL_COUNT_LOW}. */
  public static final int MIN_DISCS = 4;

  /** More discs than this is flagged {@link LevelFlag#LEVEL_COUNT_HIGH}. */
  public static final int MAX_DISCS = 6;

  /**
   * L5/S1 thinner than this fraction of L4/L5 is flagged {@link LevelFlag#POSSIBLE_TRANSITIONAL}.
   */
  public static final double TRANSITIONAL_RATIO = 0.5;

  // A disc's own axis (the minor principal axis of its pixels) is trusted when the disc is at least
  // 1.5 times longer than high (eigenvalue ratio 2.25); rounder discs take the centreline's
  // tangent.
  private static final double MIN_DISC_ELONGATION = 2.25;

  /** Components of one kind closer than this along the centreline are pieces of one structure. */
  public static final double SAME_LEVEL_MM = 6;

  private static final double OBLIQUE_COSINE = Math.cos(Math.toRadians(30));

  private LevelAnalyzer() {}

  /** The report on the slice through the canal's centroid. */
  public static LevelReport report(Image labels, LabelScheme scheme) {
    return analyse(labels, scheme, -1).report();
  }

  /**
   * The analysis on sagittal slice {@code slice} (negative: the slice through the canal's
   * centroid), with what {@link NumberingCheck} needs to compare it against reference labels.
   *
   * @throws IllegalArgumentException for a volume that is not 3D or a slice outside it
   */
  public static LevelAnalysis analyse(Image labels, LabelScheme scheme, int slice) {
    SagittalPlane plane = SagittalPlane.of(labels, scheme, slice);
    Components components = new Components(plane);
    List<String> flags = new ArrayList<>();
    if (plane.sagittalCosine < OBLIQUE_COSINE) {
      flags.add(
          LevelFlag.OBLIQUE_SLICE.with(
              String.format(
                  "slice normal %.0f° from left-right",
                  Math.toDegrees(Math.acos(plane.sagittalCosine)))));
    }
    List<Level> found = structures(components, plane, flags);
    List<Level> levels = dropSplitPieces(order(found), flags);
    int discs = (int) levels.stream().filter(Level::isDisc).count();
    int bodies = levels.size() - discs;
    levels = Numbering.number(levels, flags);
    LevelSlices slices = new LevelSlices(labels, scheme, plane, components);
    levels.forEach(l -> measure(l, slices));
    Checks.levels(levels, discs, flags);
    List<LevelMeasurement> records = new ArrayList<>();
    for (int k = 0; k < levels.size(); k++) {
      records.add(levels.get(k).toMeasurement(k));
    }
    int sacra = (int) levels.stream().filter(l -> l.kind == Kind.SACRUM).count();
    LevelReport report =
        new LevelReport(
            plane.sagittalAxis,
            plane.slice,
            plane.spacingA,
            plane.spacingB,
            discs,
            bodies - sacra,
            records,
            flags);
    return new LevelAnalysis(report, labels.geometry(), plane, levels);
  }

  /** Discs and vertebral bodies large enough to count; posterior elements left out. */
  private static List<Level> structures(
      Components components, SagittalPlane plane, List<String> flags) {
    List<Component> vertebrae = new ArrayList<>();
    List<Integer> canal = new ArrayList<>();
    List<Level> levels = new ArrayList<>();
    int fragments = 0;
    for (Component c : components.all()) {
      if (c.areaMm2() < MIN_AREA_MM2) {
        fragments++;
      } else if (c.structure() == Structure.DISC) {
        levels.add(new Level(c, Kind.DISC));
      } else if (c.structure() == Structure.VERTEBRA) {
        vertebrae.add(c);
      } else {
        for (int p : c.pixels()) {
          canal.add(p);
        }
      }
    }
    if (fragments > 0) {
      flags.add(
          LevelFlag.FRAGMENTS_IGNORED.with(
              fragments + " components under " + MIN_AREA_MM2 + " mm² on slice " + plane.slice));
    }
    for (Component c : Bodies.select(vertebrae, canal, plane, flags)) {
      levels.add(new Level(c, Kind.BODY));
    }
    return levels;
  }

  /** Sorted along the centreline, each with its tangent and height axis. */
  private static List<Level> order(List<Level> levels) {
    if (levels.size() < 2) {
      // Nothing to fit a centreline through: the superior direction stands in for the spine.
      levels.forEach(l -> l.tangent = l.axis = new double[] {1, 0});
      return levels;
    }
    List<double[]> centroids = levels.stream().map(Level::centroid).toList();
    Centreline line = new Centreline(centroids);
    for (Level l : levels) {
      l.position = line.position(l.centroid());
      l.tangent = line.tangent(l.centroid());
    }
    List<Level> sorted = new ArrayList<>(levels);
    sorted.sort(Comparator.comparingDouble(l -> l.position));
    Axes.assign(sorted);
    return sorted;
  }

  /**
   * Where two components of the same kind sit at the same place along the spine (closer than
   * {@value #SAME_LEVEL_MM} mm: a disc or body split front to back by a segmentation gap), keeps
   * the larger and flags the other, so a split disc does not become two levels and rename every
   * level above it.
   */
  private static List<Level> dropSplitPieces(List<Level> sorted, List<String> flags) {
    List<Level> kept = new ArrayList<>();
    for (Level l : sorted) {
      Level previous = kept.isEmpty() ? null : kept.get(kept.size() - 1);
      if (previous != null
          && previous.kind == l.kind
          && l.position - previous.position < SAME_LEVEL_MM) {
        Level smaller = previous.component.areaMm2() < l.component.areaMm2() ? previous : l;
        kept.set(kept.size() - 1, smaller == previous ? l : previous);
        flags.add(
            LevelFlag.FRAGMENTS_IGNORED.with(
                String.format(
                    Locale.ROOT,
                    "a second %s component (%.0f mm²) at the same level along the spine",
                    l.kind.name().toLowerCase(Locale.ROOT),
                    smaller.component.areaMm2())));
      } else {
        kept.add(l);
      }
    }
    return kept;
  }

  private static void measure(Level level, LevelSlices slices) {
    if (!level.found()) {
      return;
    }
    if (level.kind == Kind.SACRUM) {
      // Not measured: named only, on the mid slice where it was found.
      level.plane = slices.mid();
      level.measured = level.component;
      return;
    }
    LevelSlices.Placement placement = slices.place(level.component);
    level.plane = placement.plane();
    level.measured = placement.component();
    Measurer measurer = new Measurer(placement.plane(), placement.components());
    if (level.measured.cut()) {
      level.flags.add(
          LevelFlag.CUT_BY_FIELD_OF_VIEW.with("touches the slice border: heights not measured"));
    } else {
      level.heights = measurer.thirds(level.measured, level.axis);
      String[] thirds = {"anterior", "middle", "posterior"};
      for (int k = 0; k < 3; k++) {
        if (level.heights[k] == null) {
          level.flags.add(
              LevelFlag.NOT_MEASURED.with(thirds[k] + " height: no line across the third met it"));
        }
      }
    }
    if (level.isDisc() && level.measured.cut()) {
      // A cut disc's centroid and axis are not its mid-plane's: the canal line would be off level.
      level.flags.add(LevelFlag.NOT_MEASURED.with("canal diameter: the disc is cut"));
    } else if (level.isDisc()) {
      level.canal = measurer.canalDiameter(level.measured, level.axis);
      if (level.canal != null && level.canal.isNaN()) {
        level.canal = null;
        level.flags.add(
            LevelFlag.CUT_BY_FIELD_OF_VIEW.with("canal diameter: the slice border cuts the canal"));
      } else if (level.canal == null) {
        level.flags.add(
            LevelFlag.NOT_MEASURED.with("canal diameter: no canal behind the disc on the slice"));
      }
    }
  }
}
