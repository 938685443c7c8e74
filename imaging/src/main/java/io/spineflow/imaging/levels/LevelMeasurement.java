package io.spineflow.imaging.levels;

import java.util.List;

/**
 * One level of the spine: a disc, a vertebral body or the sacrum, with its measurements. Missing
 * values are null (never 0 or NaN), and a flag says why.
 *
 * @param order position along the spine, 0 for the lowest structure listed
 * @param name level name counted from the sacrum: {@code L5/S1}, {@code L5}, {@code L4/L5}, … (
 *     {@code S1} for the sacrum, {@code ?1}, {@code ?2} … when nothing anchors the numbering)
 * @param kind disc, body or sacrum
 * @param found false for a placeholder the order implies but the segmentation lacks
 * @param sliceIndex index along the sagittal axis of the slice the measurements come from
 * @param positionMm arc length of the structure's centroid along the centreline (null when not
 *     found)
 * @param anteriorMm height at the centre of the anterior third of the AP extent
 * @param middleMm height at the middle of the AP extent
 * @param posteriorMm height at the centre of the posterior third
 * @param canalApMm discs only: canal anteroposterior diameter along the disc's mid-plane
 * @param flags {@code CODE: detail} ({@link LevelFlag}), empty when all is well
 */
public record LevelMeasurement(
    int order,
    String name,
    Kind kind,
    boolean found,
    Integer sliceIndex,
    Double positionMm,
    Double anteriorMm,
    Double middleMm,
    Double posteriorMm,
    Double canalApMm,
    List<String> flags) {

  public LevelMeasurement {
    flags = List.copyOf(flags);
  }

  /** What a level is. */
  public enum Kind {
    DISC,
    BODY,
    SACRUM
  }
}
