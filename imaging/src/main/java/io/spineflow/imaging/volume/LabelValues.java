package io.spineflow.imaging.volume;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.metrics.SpineClass;

/**
 * The values a study label volume holds, SPIDER-style so tools that read SPIDER masks read ours:
 *
 * <ul>
 *   <li>{@value #BACKGROUND} background (segmented, nothing there);
 *   <li>{@value #VERTEBRAE} vertebrae (SPIDER numbers vertebrae from the bottom; the model's merged
 *       class carries no level, so every vertebra gets the lowest number, L5's);
 *   <li>{@value #CANAL} spinal canal (SPIDER's value);
 *   <li>{@value #DISCS} discs (SPIDER's L5/S1 value, 200 + the vertebra above; no level either);
 *   <li>{@value #NOT_SEGMENTED} not segmented: a voxel of a source slice preprocess did not emit.
 * </ul>
 *
 * <p>Why {@value #NOT_SEGMENTED} in an unsigned 16-bit volume rather than 255 in 8 bits: every
 * 8-bit value is a valid SPIDER label (255 would read as a disc, 200–299), so a researcher who fed
 * our volume back as a training label would silently train unsegmented slices as disc. {@value
 * #NOT_SEGMENTED} is outside SPIDER's ranges (0–299), so such a label is refused with the value
 * named (preprocess's {@code UNKNOWN_LABEL_VALUE}) instead; it is also the type's maximum, the
 * usual no-data sentinel.
 */
public final class LabelValues {
  public static final int BACKGROUND = 0;
  public static final int VERTEBRAE = 1;
  public static final int CANAL = 100;
  public static final int DISCS = 201;
  public static final int NOT_SEGMENTED = 65535;

  /** The volume's element type (unsigned 16-bit: see the class comment). */
  public static final ElementType TYPE = ElementType.USHORT;

  private static final int[] BY_CLASS = {BACKGROUND, VERTEBRAE, CANAL, DISCS};

  private LabelValues() {}

  /** The volume value of a mask class. */
  public static int of(SpineClass spineClass) {
    return BY_CLASS[spineClass.id()];
  }

  /** The volume value of mask class id {@code classId} (0..3), without the enum lookup. */
  static int ofClassId(int classId) {
    return BY_CLASS[classId];
  }
}
