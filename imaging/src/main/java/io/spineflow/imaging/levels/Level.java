package io.spineflow.imaging.levels;

import io.spineflow.imaging.levels.LevelMeasurement.Kind;
import java.util.ArrayList;
import java.util.List;

/** A structure on its way to a {@link LevelMeasurement}: mutable while the analysis runs. */
final class Level {
  final Component component;
  final Kind kind;
  final List<String> flags = new ArrayList<>();
  double position;
  double[] tangent;
  double[] axis;
  String name;
  Double[] heights = new Double[3];
  Double canal;

  /** The slice the level was measured on and its component there (set once measured). */
  SagittalPlane plane;

  Component measured;

  Level(Component component, Kind kind) {
    this.component = component;
    this.kind = kind;
  }

  /** A level the order implies but the segmentation lacks. */
  static Level placeholder(Kind kind, String name, String flag) {
    Level level = new Level(null, kind);
    level.name = name;
    level.flags.add(flag);
    level.flags.add(LevelFlag.NOT_MEASURED.with("not found in the segmentation"));
    return level;
  }

  boolean found() {
    return component != null;
  }

  boolean isDisc() {
    return kind == Kind.DISC;
  }

  double[] centroid() {
    return new double[] {component.sup(), component.post()};
  }

  LevelMeasurement toMeasurement(int order) {
    return new LevelMeasurement(
        order,
        name,
        kind,
        found(),
        plane != null ? plane.slice : null,
        found() ? position : null,
        heights[0],
        heights[1],
        heights[2],
        canal,
        flags);
  }
}
