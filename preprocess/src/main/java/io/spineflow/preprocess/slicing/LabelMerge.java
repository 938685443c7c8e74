package io.spineflow.preprocess.slicing;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import java.nio.ByteBuffer;

/**
 * Merges SPIDER's label values into spineflow's four classes (spider.md, "Labels"):
 *
 * <ul>
 *   <li>0 → {@value #BACKGROUND} background
 *   <li>1–99 (vertebrae, numbered from the bottom) and 101–199 (partly visible vertebrae at the
 *       field-of-view edge) → {@value #VERTEBRAE} vertebrae
 *   <li>100 → {@value #CANAL} spinal canal
 *   <li>200–299 (discs are vertebra label + 200) → {@value #DISCS} discs
 * </ul>
 *
 * Anything else (negative, fractional, NaN, 300 and above) is not a silent class: it rejects the
 * study with {@code UNKNOWN_LABEL_VALUE} naming the value, because a mask from another labelling
 * scheme would otherwise train the model on wrong classes. 200 itself never occurs in SPIDER (there
 * is no vertebra 0); it is taken as a disc, as Ahmed et al.'s "200+ → discs" does.
 */
public final class LabelMerge {
  public static final byte BACKGROUND = 0;
  public static final byte VERTEBRAE = 1;
  public static final byte CANAL = 2;
  public static final byte DISCS = 3;

  /** The number of merged classes. */
  public static final int CLASSES = 4;

  /** Class names by index, for logs and reports. */
  public static final String[] CLASS_NAMES = {"background", "vertebrae", "canal", "discs"};

  /** Labels at or above this are not SPIDER labels. */
  public static final int MAX_LABEL_EXCLUSIVE = 300;

  /** The expectation quoted in dead letters. */
  public static final String ACCEPTED_VALUES =
      "integers 0 (background), 1-99 and 101-199 (vertebrae), 100 (canal), 200-299 (discs)";

  private static final byte[] TABLE = new byte[MAX_LABEL_EXCLUSIVE];

  static {
    for (int v = 0; v < MAX_LABEL_EXCLUSIVE; v++) {
      TABLE[v] = v == 0 ? BACKGROUND : v == 100 ? CANAL : v < 200 ? VERTEBRAE : DISCS;
    }
  }

  private LabelMerge() {}

  /**
   * The class of one SPIDER label value.
   *
   * @throws StudyRejectedException {@code UNKNOWN_LABEL_VALUE} for a value outside the ranges
   */
  public static byte classOf(double value) {
    if (!(value >= 0 && value < MAX_LABEL_EXCLUSIVE) || value != Math.rint(value)) {
      throw unknown(value);
    }
    return TABLE[(int) value];
  }

  /**
   * The merged class of every voxel of {@code label}, in the label's own voxel order.
   *
   * @throws StudyRejectedException {@code UNKNOWN_LABEL_VALUE} naming the first offending value
   */
  public static byte[] merge(Image label) {
    int n = Math.toIntExact(label.voxelCount());
    byte[] classes = new byte[n];
    ByteBuffer b = label.buffer();
    ElementType type = label.type();
    // One loop per common integer type: the per-voxel type switch would dominate otherwise.
    switch (type) {
      case UCHAR -> {
        for (int i = 0; i < n; i++) {
          classes[i] = lookup(b.get(i) & 0xFF);
        }
      }
      case CHAR -> {
        for (int i = 0; i < n; i++) {
          classes[i] = lookup(b.get(i));
        }
      }
      case USHORT -> {
        for (int i = 0; i < n; i++) {
          classes[i] = lookup(b.getShort(2 * i) & 0xFFFF);
        }
      }
      case SHORT -> {
        for (int i = 0; i < n; i++) {
          classes[i] = lookup(b.getShort(2 * i));
        }
      }
      case INT, LONG -> {
        for (int i = 0; i < n; i++) {
          classes[i] = lookup(b.getInt(4 * i));
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          classes[i] = classOf(label.voxel(i));
        }
      }
    }
    return classes;
  }

  private static byte lookup(int value) {
    if (value < 0 || value >= MAX_LABEL_EXCLUSIVE) {
      throw unknown(value);
    }
    return TABLE[value];
  }

  private static StudyRejectedException unknown(double value) {
    String text = value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    return new StudyRejectedException(
        StudyRejectedException.UNKNOWN_LABEL_VALUE,
        "label",
        ACCEPTED_VALUES,
        "label value " + text + " is not a SPIDER label (" + ACCEPTED_VALUES + ")");
  }
}
